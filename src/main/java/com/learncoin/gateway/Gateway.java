package com.learncoin.gateway;

import com.learncoin.gateway.admin.AdminTokens;
import com.learncoin.gateway.audit.AuditLog;
import com.learncoin.gateway.auth.ApiKeyStore;
import com.learncoin.gateway.auth.ClientAddress;
import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.db.Database;
import com.learncoin.gateway.idempotency.IdempotencyHandler;
import com.learncoin.gateway.ratelimit.RateLimiter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: database (embedded or by URL) and migrations, the pool, the shared
 * services, then the HTTP verticles. {@link #stop()} undoes it in reverse order.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long IDEMPOTENCY_SWEEP_MILLIS = 10 * 60 * 1000;

  private final Vertx vertx;
  private final Database database;
  private final Services services;
  private final int port;
  private final String adminSecret;
  private String deploymentId;
  private long sweepTimer;

  private Gateway(Vertx vertx, Database database, Services services, int port, String adminSecret) {
    this.vertx = vertx;
    this.database = database;
    this.services = services;
    this.port = port;
    this.adminSecret = adminSecret;
  }

  public static Future<Gateway> start(Vertx vertx, Config config) {
    return vertx.executeBlocking(() -> {
      Database database = Database.open(config);
      try {
        database.migrate();
        return new Prepared(database, AdminTokens.secret(config), choosePort(config.httpPort()));
      } catch (RuntimeException e) {
        database.close();
        throw e;
      }
    }).compose(prepared -> {
      Pool pool = prepared.database().pool(vertx, config.dbPoolSize());
      return ApiKeyStore.start(vertx, pool, prepared.database().connectOptions())
          .map(keys -> new Gateway(vertx, prepared.database(), new Services(config, pool, keys,
              new RateLimiter(), new IdempotencyHandler(vertx, pool),
              new AuditLog(vertx, pool, config.auditFlushMillis()),
              AdminTokens.auth(vertx, prepared.adminSecret()),
              new ClientAddress(config.trustedProxies())), prepared.port(), prepared.adminSecret()))
          .compose(Gateway::deploy);
    });
  }

  private Future<Gateway> deploy() {
    int instances = services.config().httpInstances() > 0 ? services.config().httpInstances()
        : Runtime.getRuntime().availableProcessors();
    return vertx.deployVerticle(() -> new HttpVerticle(services, port),
            new DeploymentOptions().setInstances(instances))
        .map(id -> {
          deploymentId = id;
          sweepTimer = vertx.setPeriodic(1_000, IDEMPOTENCY_SWEEP_MILLIS, t ->
              services.idempotency().sweep().onFailure(e ->
                  LOG.warn("Idempotency sweep failed: {}", e.getMessage())));
          return this;
        });
  }

  /** Port 0 means "any free port"; verticle instances must agree on one, so it is chosen here. */
  private static int choosePort(int configured) {
    if (configured != 0) {
      return configured;
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String adminSecret() {
    return adminSecret;
  }

  public Services services() {
    return services;
  }

  /** Stop accepting, finish in-flight requests, flush the audit log, release the database. */
  public Future<Void> stop() {
    vertx.cancelTimer(sweepTimer);
    Future<Void> undeployed = deploymentId == null ? Future.succeededFuture()
        : vertx.undeploy(deploymentId);
    return undeployed
        .eventually(() -> services.audit().close())
        .eventually(() -> services.apiKeys().close())
        .eventually(() -> services.pool().close())
        .eventually(() -> vertx.executeBlocking(() -> {
          database.close();
          return null;
        }))
        .mapEmpty();
  }

  private record Prepared(Database database, String adminSecret, int port) {}
}
