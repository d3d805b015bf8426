package com.learncoin.gateway.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One {@link TestGateway} for the whole test class, on its own Vert.x, stopped after all tests
 * (also when one fails). Static fields and parameters (of {@code @BeforeAll}, {@code @Test}, ...)
 * are given by type: {@link TestGateway} the gateway, {@link io.vertx.core.Vertx} its Vert.x;
 * a {@code String} annotated {@link TenantId} or {@link TenantKey} the id or test API key of a
 * tenant on {@link #plan()}, created on first use, one per class.
 *
 * <pre>{@code
 * @GatewayTest(env = "LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true")
 * class WebhookTest {
 *   private static TestGateway app;
 *   @TenantKey private static String key;
 * }</pre>
 *
 * <p>Vertx parameters are resolved here, so the class does not also use the VertxExtension.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(GatewayExtension.class)
public @interface GatewayTest {
  /** The plan of the tenant behind {@link TenantId} and {@link TenantKey}. */
  String plan() default "industry";

  /** Configuration for {@link TestGateway#start}, as {@code NAME=value} environment variables. */
  String[] env() default {};

  /**
   * Vert.x built as {@code Main} builds it ({@code Metrics.vertx}), reporting its SQL pool to the
   * registry behind {@code GET /metrics}.
   */
  boolean vertxMetrics() default false;

  /** The id of the class's tenant. */
  @Target({ElementType.FIELD, ElementType.PARAMETER})
  @Retention(RetentionPolicy.RUNTIME)
  @interface TenantId {}

  /** The plaintext of a test-environment API key of the class's tenant. */
  @Target({ElementType.FIELD, ElementType.PARAMETER})
  @Retention(RetentionPolicy.RUNTIME)
  @interface TenantKey {}
}
