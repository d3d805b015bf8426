package com.learncoin.gateway.support;

import com.learncoin.gateway.config.ConfigLoader;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import io.vertx.core.Vertx;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** Runs {@link GatewayTest}: starts the gateway before all tests, hands it out, stops it. */
final class GatewayExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(GatewayExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    GatewayTest options = AnnotationSupport.findAnnotation(testClass, GatewayTest.class)
        .orElseThrow();
    Vertx vertx = options.vertxMetrics() ? Metrics.vertx(ConfigLoader.load(Map.of()))
        : Vertx.vertx();
    Running running = new Running(vertx, options.plan());
    // Closed by JUnit when the class is done, after @AfterAll, whatever happened before.
    context.getStore(NAMESPACE).put(Running.class, running);
    running.app = TestGateway.start(vertx, env(options.env()));
    for (Field field : ReflectionSupport.findFields(testClass,
        f -> Modifier.isStatic(f.getModifiers()) && Running.supports(f, f.getType()),
        HierarchyTraversalMode.TOP_DOWN)) {
      field.setAccessible(true);
      field.set(null, running.value(field, field.getType()));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return Running.supports(parameter.getParameter(), parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(Running.class, Running.class)
        .value(parameter.getParameter(), parameter.getParameter().getType());
  }

  private static Map<String, String> env(String[] assignments) {
    Map<String, String> env = new HashMap<>();
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("@GatewayTest env wants NAME=value: " + assignment);
      }
      env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
    }
    return env;
  }

  /** A class's Vert.x, gateway and (once asked for) tenant. */
  private static final class Running implements AutoCloseable {
    private final Vertx vertx;
    private final String plan;
    private TestGateway app;
    private String tenantId;
    private String tenantKey;

    Running(Vertx vertx, String plan) {
      this.vertx = vertx;
      this.plan = plan;
    }

    static boolean supports(AnnotatedElement element, Class<?> type) {
      return type == TestGateway.class || type == Vertx.class || (type == String.class
          && (element.isAnnotationPresent(TenantId.class)
              || element.isAnnotationPresent(TenantKey.class)));
    }

    synchronized Object value(AnnotatedElement element, Class<?> type) {
      if (type == TestGateway.class) {
        return app;
      }
      if (type == Vertx.class) {
        return vertx;
      }
      if (tenantId == null) {
        tenantId = app.tenant(plan);
        tenantKey = app.key(tenantId, "test").getString("key");
      }
      return element.isAnnotationPresent(TenantId.class) ? tenantId : tenantKey;
    }

    @Override
    public void close() throws Exception {
      try {
        if (app != null) {
          app.close();
        }
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }
}
