package com.learncoin.gateway.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@code scripts/bench-read.sh}: a bare Vert.x router on the same machine, one
 * verticle per core like the gateway, answering {@code GET /v1/tenants/:id} with a fixed JSON
 * object about the size of the gateway's tenant (~360 bytes). No auth, no rate limit, no database.
 *
 * <p>Not a test (no {@code Test} suffix, so surefire ignores it). Run from the project directory:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * com.learncoin.gateway.bench.BareRouterServer 18080 [host]} (host defaults to 127.0.0.1).
 */
public final class BareRouterServer extends VerticleBase {
  /** Same shape and roughly the same size as the gateway's GET /v1/tenants/{id} answer. */
  static final Buffer BODY = new JsonObject()
      .put("id", "ten_01JD0000000000000000000000")
      .put("object", "tenant")
      .put("name", "bench-tenant-0001")
      .put("plan", "industry")
      .put("limits", new JsonObject()
          .put("requests_per_minute", 6000)
          .put("credentials_per_month", 2000000)
          .put("custom_issuer_did", true))
      .put("issuer_did", null)
      .put("created_at", "2025-01-01T00:00:00.000Z")
      .put("usage", new JsonObject()
          .put("month", "2025-01")
          .put("credentials_issued", new JsonObject().put("test", 0).put("live", 0))
          .put("credentials_remaining", new JsonObject().put("test", 2000000).put("live", 2000000)))
      .toBuffer();

  private final String host;
  private final int port;
  private HttpServer server;

  BareRouterServer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/v1/tenants/:id").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(BODY));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: BareRouterServer <port> [host]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(() -> new BareRouterServer(host, port),
          new DeploymentOptions().setInstances(instances)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("bare router did not start: " + e);
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
    }, "bare-router-shutdown"));
    System.out.println("Bare Vert.x router on http://" + host + ":" + port + " (" + instances
        + " instances, body " + BODY.length() + " bytes)");
  }
}
