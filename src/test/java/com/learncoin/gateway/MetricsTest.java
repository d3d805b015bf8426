package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Prometheus;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import com.learncoin.gateway.support.WebhookReceiver;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest(vertxMetrics = true, env = {"LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true",
    "LEARNCOIN_WEBHOOK_RETRY_BASE_MILLIS=100"})
@DisplayName("GET /metrics gives operators Prometheus text, behind the admin token")
class MetricsTest {
  private static final String REQUESTS = "learncoin_http_requests_seconds_count";
  private static TestGateway app;

  private static Prometheus scrape() {
    Reply reply = app.send("GET", "/metrics", null, "Authorization", "Bearer " + app.adminToken())
        .assertStatus(200);
    assertThat(reply.header("Content-Type")).startsWith("text/plain");
    return new Prometheus(reply.text());
  }

  @Test
  @DisplayName("without an admin token, or with an API key instead, the answer is 401 admin_token_invalid")
  void needsAdminToken() {
    app.send("GET", "/metrics", null).assertError(401, "admin_token_invalid");
    app.get("/metrics", app.newTestKey("starter")).assertError(401, "admin_token_invalid");
  }

  @Test
  @DisplayName("requests are counted by route template, method and status, never by raw path")
  void requestsByRouteTemplate() {
    String tenant = app.tenant("industry");
    String key = app.key(tenant, "test").getString("key");
    Prometheus before = scrape();
    app.get("/v1/tenants/" + tenant, key).assertStatus(200);
    app.get("/v1/batches/bat_00000000000000000000000000", key).assertStatus(404);
    app.unvalidated().get("/no/such/route/" + tenant, key).assertError(404, "route_not_found");
    Prometheus after = scrape();

    assertThat(increase(before, after, REQUESTS, "route", "/v1/tenants/:id", "method", "GET",
        "status", "200")).isEqualTo(1);
    assertThat(increase(before, after, REQUESTS, "route", "/v1/batches/:id", "method", "GET",
        "status", "404")).isEqualTo(1);
    assertThat(increase(before, after, REQUESTS, "route", "unmatched", "status", "404"))
        .isEqualTo(1);
    assertThat(after.sum("learncoin_http_requests_seconds_bucket", "route", "/v1/tenants/:id",
        "status", "200", "le", "+Inf")).isGreaterThanOrEqualTo(1);
    assertThat(after.matching(REQUESTS)).allSatisfy(series ->
        assertThat(series.labels().get("route")).doesNotContain(tenant, "bat_0"));
  }

  @Test
  @DisplayName("429s are counted by plan and idempotent replays once each")
  void rateLimitsAndReplays() {
    Prometheus before = scrape();
    String starter = app.newTestKey("starter");
    int rejected = 0;
    // Unvalidated: checking each answer against openapi.yaml slows the loop enough for the bucket
    // (2 tokens a second) to refill; the same answers are validated in RateLimitTest.
    TestGateway fast = app.unvalidated();
    for (int i = 0; i < 125; i++) {
      rejected += fast.get("/v1/batches/bat_00000000000000000000000000", starter).status() == 429
          ? 1 : 0;
    }
    String industry = app.newTestKey("industry");
    String body = Batches.of(1).encode();
    app.post("/v1/batches", industry, body, "Idempotency-Key", "metrics-1").assertStatus(202);
    Reply replay = app.post("/v1/batches", industry, body, "Idempotency-Key", "metrics-1");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    Prometheus after = scrape();

    assertThat(rejected).isGreaterThanOrEqualTo(5);
    assertThat(increase(before, after, "learncoin_rate_limited_total", "plan", "starter"))
        .isEqualTo(rejected);
    assertThat(increase(before, after, REQUESTS, "route", "/v1/batches/:id", "status", "429"))
        .isEqualTo(rejected);
    assertThat(increase(before, after, "learncoin_idempotent_replays_total")).isEqualTo(1);
  }

  @Test
  @DisplayName("an anchored batch moves the issuance, signer, chain and webhook meters")
  void anchoredBatch() {
    Prometheus before = scrape();
    String key = app.newTestKey("industry");
    try (WebhookReceiver receiver = new WebhookReceiver(500)) {
      WebhookEndpointsTest.create(app, key, receiver.url(), "batch.anchored").assertStatus(201);
      String batchId = app.post("/v1/batches", key, Batches.of(2).encode()).json().getString("id");
      Batches.awaitStatus(app, key, batchId, "anchored");
      Eventually.await("a failed then a successful delivery", Duration.ofSeconds(30),
          () -> receiver.received().size() >= 2);
      Prometheus after = Eventually.await("webhook outcomes counted", Duration.ofSeconds(10),
          () -> java.util.Optional.of(scrape()).filter(p -> increase(before, p,
              "learncoin_webhook_deliveries_total", "outcome", "success") >= 1));

      assertThat(increase(before, after, "learncoin_webhook_deliveries_total", "outcome",
          "failure")).isGreaterThanOrEqualTo(1);
      assertThat(increase(before, after, "learncoin_batch_transitions_total", "to", "anchoring"))
          .isGreaterThanOrEqualTo(1);
      assertThat(increase(before, after, "learncoin_batch_transitions_total", "to", "anchored"))
          .isGreaterThanOrEqualTo(1);
      assertThat(increase(before, after, "learncoin_signer_sign_seconds_count"))
          .isGreaterThanOrEqualTo(2);
      assertThat(increase(before, after, "learncoin_anchoring_step_seconds_count", "network",
          "base-sepolia")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  @DisplayName("queue depth and age, breakers and the database pool are gauges")
  void gauges() {
    String tenant = app.tenant("industry");
    // A queued batch the worker will not claim for a day, created an hour ago.
    app.execute("INSERT INTO batches (id, tenant_id, environment, network, status, count, "
        + "created_at, next_attempt_at) VALUES ('bat_metrics_old', '" + tenant + "', 'test', "
        + "'base-sepolia', 'queued', 1, now() - interval '1 hour', now() + interval '1 day')");
    Prometheus scrape = Eventually.await("the batch gauges refreshed", Duration.ofSeconds(15),
        () -> java.util.Optional.of(scrape()).filter(p ->
            p.sum("learncoin_batch_oldest_age_seconds", "status", "queued") >= 3600));

    assertThat(scrape.sum("learncoin_batches", "status", "queued")).isGreaterThanOrEqualTo(1);
    assertThat(scrape.matching("learncoin_batches")).extracting(s -> s.labels().get("status"))
        .containsExactlyInAnyOrder("queued", "signing", "anchoring");
    assertThat(scrape.matching("learncoin_breaker_open")).extracting(s -> s.labels().get("dependency"))
        .contains("signer", "base-sepolia", "base");
    assertThat(scrape.sum("learncoin_breaker_open", "dependency", "signer")).isZero();
    assertThat(scrape.sum("learncoin_db_pool_max")).isPositive();
    assertThat(scrape.matching("vertx_pool_in_use", "pool_type", "sql")).isNotEmpty();
    app.execute("DELETE FROM batches WHERE id = 'bat_metrics_old'");
  }

  private static double increase(Prometheus before, Prometheus after, String name,
      String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }
}
