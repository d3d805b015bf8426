package com.learncoin.gateway.load;

import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The gateway a simulation loads: the one at {@code -Dgateway.url} (admin token from
 * {@code -Dgateway.adminToken}), or else the real app started in-process with the test support
 * (embedded PostgreSQL, anvil). Gatling builds the scenarios before {@code before()} runs, so
 * requests read the URL and the tenants through this object when they are sent.
 */
public final class LoadTarget {
  /** A tenant made for the run and its one test key. */
  public record Tenant(String id, String key) {}

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  /** Admin calls in flight at once while setting up many tenants. */
  private static final int SETUP_CONCURRENCY = 8;

  private volatile String url;
  private volatile String adminToken;
  private Vertx vertx;
  private TestGateway inProcess;

  /** Resolves the target; starts the in-process gateway when no URL is given. */
  public void start() {
    String external = System.getProperty("gateway.url", "").strip();
    if (!external.isEmpty()) {
      url = external.replaceAll("/+$", "");
      adminToken = System.getProperty("gateway.adminToken", "").strip();
      if (adminToken.isEmpty()) {
        throw new IllegalStateException("-Dgateway.url needs -Dgateway.adminToken (a token from "
            + "'java -jar target/learncoin-gateway.jar admin-token' with the gateway's env)");
      }
    } else {
      vertx = Vertx.vertx();
      // The load comes from one address but stands for many clients: no per-client cap below the node's.
      inProcess = TestGateway.start(vertx, Map.of("LEARNCOIN_HTTP_MAX_CONNECTIONS_PER_CLIENT", "10000"));
      url = inProcess.uri("").toString();
      adminToken = inProcess.adminToken();
    }
    System.out.println("[load] target " + url + (inProcess != null ? " (in-process)" : ""));
  }

  public String url(String path) {
    return url + path;
  }

  /** {@code count} tenants on {@code plan}, one test key each, through the admin API. */
  public List<Tenant> tenants(String plan, int count) {
    Semaphore slots = new Semaphore(SETUP_CONCURRENCY);
    List<CompletableFuture<Tenant>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      slots.acquireUninterruptibly();
      String name = "load " + plan + " " + i;
      pending.add(admin("/admin/v1/tenants", new JsonObject().put("name", name).put("plan", plan))
          .thenCompose(tenant -> admin("/admin/v1/tenants/" + tenant.getString("id") + "/keys",
              new JsonObject().put("environment", "test").put("ip_allowlist", new JsonArray()))
              .thenApply(key -> new Tenant(tenant.getString("id"), key.getString("key"))))
          .whenComplete((tenant, failure) -> slots.release()));
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  /**
   * One authenticated read per tenant, untimed: proves each key works before the measured run
   * and warms what a first request pays for (key cache, JIT of a freshly started gateway).
   */
  public void warmUp(List<Tenant> tenants) {
    Semaphore slots = new Semaphore(SETUP_CONCURRENCY);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (Tenant tenant : tenants) {
      slots.acquireUninterruptibly();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url("/v1/tenants/" + tenant.id())))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + tenant.key()).build();
      pending.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
        if (r.statusCode() != 200) {
          throw new IllegalStateException("warm-up read of " + tenant.id() + " answered "
              + r.statusCode() + ": " + r.body());
        }
      }).whenComplete((ok, failure) -> slots.release()));
    }
    pending.forEach(CompletableFuture::join);
  }

  private CompletableFuture<JsonObject> admin(String path, JsonObject body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + adminToken)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 201) {
        throw new IllegalStateException("POST " + path + " answered " + response.statusCode()
            + ": " + response.body());
      }
      return new JsonObject(response.body());
    });
  }

  /**
   * A feeder over tenants that exist only once {@code before()} has run: each record is
   * {@code tenantId} and {@code apiKey}, round robin.
   */
  public static Iterator<Map<String, Object>> roundRobin(Supplier<List<Tenant>> tenants) {
    AtomicLong next = new AtomicLong();
    return Stream.generate(() -> {
      List<Tenant> all = tenants.get();
      Tenant t = all.get((int) (next.getAndIncrement() % all.size()));
      return Map.<String, Object>of("tenantId", t.id(), "apiKey", t.key());
    }).iterator();
  }

  /** Stops the in-process gateway, if this run started one. */
  public void close() {
    if (inProcess != null) {
      inProcess.close();
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        System.out.println("[load] Vert.x did not close within 30 s; the JVM exits anyway");
      }
    }
  }
}
