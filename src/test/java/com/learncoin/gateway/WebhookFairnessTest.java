package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.Load;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import com.learncoin.gateway.support.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 11 item 7: one tenant's silent endpoints must not hold up another tenant's deliveries. */
@ExtendWith(VertxExtension.class)
@DisplayName("Webhook deliveries are scheduled fairly across tenants")
class WebhookFairnessTest {
  private static final int SILENT_ENDPOINTS = 160;
  private static final int TENANT_CONCURRENCY = 4;

  @Test
  @DisplayName("160 silent endpoints of one tenant: another tenant's delivery arrives within "
      + "seconds, and the first tenant never has more than its cap of attempts in flight on two "
      + "nodes together")
  void silentTenantDoesNotDelayOthers(Vertx vertx) throws Exception {
    TestGateway app = TestGateway.start(vertx, Map.of(
        "LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
        // the staging of the review: far more endpoints than the default limit allows
        "LEARNCOIN_WEBHOOK_MAX_ENDPOINTS_PER_TENANT", "200",
        "LEARNCOIN_WEBHOOK_TENANT_CONCURRENCY", Integer.toString(TENANT_CONCURRENCY)));
    // Two nodes: the cap counts the tenant's attempts on both (32 places between them).
    TestGateway second = app.anotherNode();
    try (SilentReceiver silent = new SilentReceiver();
         WebhookReceiver fast = new WebhookReceiver()) {
      String noisy = app.newTestKey("industry");
      for (int i = 0; i < SILENT_ENDPOINTS; i++) {
        WebhookEndpointsTest.create(app, noisy, silent.url(i), "batch.anchored")
            .assertStatus(201);
      }
      String flood = app.post("/v1/batches", noisy, Batches.of(1).encode()).assertStatus(202)
          .json().getString("id");
      Batches.awaitStatus(app, noisy, flood, "anchored");
      Eventually.await("the silent receiver holding the first attempts", Duration.ofSeconds(30),
          () -> silent.held() >= TENANT_CONCURRENCY);

      String quiet = app.newTestKey("starter");
      WebhookEndpointsTest.create(app, quiet, fast.url(), "batch.anchored").assertStatus(201);
      String batch = app.post("/v1/batches", quiet, Batches.of(1).encode()).assertStatus(202)
          .json().getString("id");
      Batches.awaitStatus(app, quiet, batch, "anchored");
      long anchored = System.nanoTime();
      // Before: 160 deliveries ahead of it, 16 at a time, 10 s each: 98.8 s in the review.
      Eventually.await("the other tenant's delivery", Duration.ofSeconds(15),
          () -> !fast.received().isEmpty());
      long waited = (System.nanoTime() - anchored) / 1_000_000;
      System.out.printf("webhook fairness: other tenant's delivery %d ms after its batch was "
          + "anchored; silent tenant held at most %d attempts at once%n", waited,
          silent.maxHeld());
      Load.pause(3_000); // both nodes claim several times meanwhile
      assertThat(fast.received().get(0).json().getJsonObject("data").getString("batch_id"))
          .isEqualTo(batch);
      assertThat(silent.maxHeld()).as("the silent tenant's attempts in flight at once")
          .isLessThanOrEqualTo(TENANT_CONCURRENCY);
    } finally {
      second.close();
      app.close();
    }
  }

  @Test
  @DisplayName("a tenant has at most 20 endpoints, test and live together (400 "
      + "invalid_field_format past it, also when created at once); deleting one frees a place")
  void endpointLimit(Vertx vertx) throws Exception {
    TestGateway app = TestGateway.start(vertx,
        Map.of("LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"));
    try {
      String tenant = app.tenant("industry");
      String test = app.key(tenant, "test").getString("key");
      String live = app.key(tenant, "live").getString("key");
      String first = null;
      for (int i = 0; i < 10; i++) {
        String id = WebhookEndpointsTest.create(app, test, "http://hooks.example.com/" + i,
            "batch.anchored").assertStatus(201).json().getString("id");
        first = first == null ? id : first;
      }
      for (int i = 0; i < 5; i++) {
        WebhookEndpointsTest.create(app, live, "https://hooks.example.com/" + i,
            "batch.anchored").assertStatus(201);
      }
      // 10 at once with 5 places left: exactly 5 are created.
      ExecutorService pool = Executors.newFixedThreadPool(10);
      List<Future<Integer>> racing = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int n = i;
        racing.add(pool.submit(() -> WebhookEndpointsTest.create(app, test,
            "http://hooks.example.com/race/" + n, "batch.anchored").status()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : racing) {
        statuses.add(f.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
      assertThat(statuses).filteredOn(s -> s == 400).hasSize(5);
      assertThat(app.queryLong("SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ?",
          tenant)).isEqualTo(20);

      Reply refused = WebhookEndpointsTest.create(app, live, "https://hooks.example.com/x",
          "batch.anchored");
      refused.assertError(400, "invalid_field_format");
      assertThat(refused.json().getJsonObject("error").getString("message"))
          .startsWith("url: ").contains("20 webhook endpoints");
      WebhookEndpointsTest.create(app, test, "http://hooks.example.com/x", "batch.anchored")
          .assertError(400, "invalid_field_format");
      // Another tenant is not affected; a deleted endpoint frees a place.
      WebhookEndpointsTest.create(app, app.newTestKey("starter"), "http://hooks.example.com/o",
          "batch.anchored").assertStatus(201);
      app.send("DELETE", "/v1/webhooks/" + first, null, "Authorization", "Bearer " + test)
          .assertStatus(204);
      WebhookEndpointsTest.create(app, live, "https://hooks.example.com/x", "batch.anchored")
          .assertStatus(201);
    } finally {
      app.close();
    }
  }

  /** Accepts connections, reads the request and never answers; counts the connections held. */
  private static final class SilentReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger maxHeld = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    SilentReceiver() throws IOException {
      server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
      threads.submit(() -> {
        while (!server.isClosed()) {
          Socket socket = server.accept();
          threads.submit(() -> hold(socket));
        }
        return null;
      });
    }

    private Void hold(Socket socket) throws IOException {
      maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
      try (socket; InputStream in = socket.getInputStream()) {
        while (in.read() >= 0) {
          // the dispatcher giving up (10 s) closes the connection and ends this
        }
      } catch (IOException e) {
        // reset by the dispatcher or closed by the test: no longer held
      } finally {
        held.decrementAndGet();
      }
      return null;
    }

    String url(int endpoint) {
      return "http://127.0.0.1:" + server.getLocalPort() + "/hooks/" + endpoint;
    }

    int held() {
      return held.get();
    }

    int maxHeld() {
      return maxHeld.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
      threads.shutdownNow();
    }
  }
}
