package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Envelope.Answer;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.RawHttp;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Idempotency-Key makes a POST safe to retry")
class IdempotencyTest {
  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;

  @Test
  @DisplayName("a repeat replays the stored response byte for byte and runs nothing twice")
  void replay() {
    String idem = UUID.randomUUID().toString();
    String body = Batches.of(2).encode();
    Reply first = app.post("/v1/batches", key, body, "Idempotency-Key", idem).assertStatus(202);
    Reply second = app.post("/v1/batches", key, body, "Idempotency-Key", idem).assertStatus(202);
    assertThat(second.raw().body()).isEqualTo(first.raw().body());
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(second.header("Location")).isEqualTo(first.header("Location"));
    assertThat(second.header("X-Request-Id")).isEqualTo(first.header("X-Request-Id"));
    assertThat(batchesWithKey(idem)).isEqualTo(1);
  }

  @Test
  @DisplayName("a 4xx answer is stored and replayed too")
  void replaysClientErrors() {
    String idem = UUID.randomUUID().toString();
    Reply first = app.post("/v1/batches", key, "{}", "Idempotency-Key", idem);
    first.assertError(400, "missing_required_field");
    Reply second = app.post("/v1/batches", key, "{}", "Idempotency-Key", idem);
    second.assertError(400, "missing_required_field");
    assertThat(second.raw().body()).isEqualTo(first.raw().body());
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  @DisplayName("the same key with another body or path is 409 idempotency_key_reused")
  void reuse() {
    String idem = UUID.randomUUID().toString();
    app.post("/v1/batches", key, Batches.of(1).encode(), "Idempotency-Key", idem).assertStatus(202);
    app.post("/v1/batches", key, Batches.of(1).encode(), "Idempotency-Key", idem)
        .assertError(409, "idempotency_key_reused");
    app.unvalidated().post("/v1/elsewhere", key, Batches.of(1).encode(), "Idempotency-Key", idem)
        .assertError(409, "idempotency_key_reused");
    assertThat(batchesWithKey(idem)).isEqualTo(1);
  }

  @Test
  @DisplayName("keys are scoped to the tenant")
  void scopedToTenant() {
    String idem = UUID.randomUUID().toString();
    String other = app.newTestKey("industry");
    app.post("/v1/batches", key, Batches.of(1).encode(), "Idempotency-Key", idem).assertStatus(202);
    Reply theirs = app.post("/v1/batches", other, Batches.of(1).encode(), "Idempotency-Key", idem)
        .assertStatus(202);
    assertThat(theirs.header("Idempotent-Replayed")).isNull();
  }

  @Test
  @DisplayName("keys are scoped to the environment: the same key with a test key then a live key "
      + "makes two batches, each replayed for its own environment only, even when the stored "
      + "answers are lost")
  void scopedToEnvironment() {
    String idem = UUID.randomUUID().toString();
    String body = Batches.of(1).encode();
    String live = app.key(tenant, "live").getString("key");
    Reply test = app.post("/v1/batches", key, body, "Idempotency-Key", idem).assertStatus(202);
    Reply liveFirst = app.post("/v1/batches", live, body, "Idempotency-Key", idem).assertStatus(202);
    assertThat(liveFirst.header("Idempotent-Replayed")).isNull();
    assertThat(liveFirst.json().getString("network")).isEqualTo("base");
    String testId = test.json().getString("id");
    String liveId = liveFirst.json().getString("id");
    assertThat(liveId).isNotEqualTo(testId);
    app.get("/v1/batches/" + liveId, live).assertStatus(200);
    assertThat(batchesWithKey(idem)).isEqualTo(2);

    for (int round = 0; round < 2; round++) {
      Reply testAgain = app.post("/v1/batches", key, body, "Idempotency-Key", idem).assertStatus(202);
      Reply liveAgain = app.post("/v1/batches", live, body, "Idempotency-Key", idem).assertStatus(202);
      assertThat(testAgain.json().getString("id")).isEqualTo(testId);
      assertThat(liveAgain.json().getString("id")).isEqualTo(liveId);
      assertThat(liveAgain.json().getString("network")).isEqualTo("base");
      // The second round: the stored answers are gone (a crash between the batch's commit and
      // its answer's record); the batches' unique index finds each environment's own batch.
      if (round == 0) {
        app.execute("DELETE FROM idempotency_keys WHERE key = '" + idem + "'");
        app = app.restart();
      }
    }
    assertThat(batchesWithKey(idem)).isEqualTo(2);
  }

  @Test
  @DisplayName("100 duplicates released at once on connections opened in advance run the batch once, "
      + "reserve its quota once, and all get its 202 byte for byte")
  void concurrentDuplicates() throws Exception {
    int duplicates = 100;
    String idem = UUID.randomUUID().toString();
    byte[] body = Batches.of(50).toBuffer().getBytes();
    byte[] request = RawHttp.concat(("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + key + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + idem + "\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body);
    long usageBefore = usage();
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < duplicates; i++) {
      Socket socket = new Socket("127.0.0.1", app.gateway().port());
      socket.setSoTimeout(60_000);
      sockets.add(socket);
    }
    ExecutorService pool = Executors.newFixedThreadPool(duplicates);
    CountDownLatch ready = new CountDownLatch(duplicates);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Answer>> replies = new ArrayList<>();
    for (Socket socket : sockets) {
      replies.add(pool.submit(() -> {
        ready.countDown();
        go.await();
        socket.getOutputStream().write(request);
        return RawHttp.read(socket.getInputStream());
      }));
    }
    ready.await();
    go.countDown();
    List<Answer> all = new ArrayList<>();
    for (Future<Answer> reply : replies) {
      all.add(reply.get(2, TimeUnit.MINUTES));
    }
    pool.shutdown();
    for (Socket socket : sockets) {
      socket.close();
    }
    Answer original = all.stream().filter(a -> !a.headers().containsKey("idempotent-replayed"))
        .findFirst().orElseThrow();
    assertThat(all).allSatisfy(a -> {
      assertThat(a.status()).isEqualTo(202);
      assertThat(a.body()).isEqualTo(original.body());
      assertThat(a.requestId()).isEqualTo(original.requestId());
    });
    assertThat(all.stream().filter(a -> "true".equals(a.headers().get("idempotent-replayed"))))
        .hasSize(duplicates - 1);
    assertThat(batchesWithKey(idem)).isEqualTo(1);
    String batchId = new JsonObject(new String(original.body(), StandardCharsets.UTF_8)).getString("id");
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE batch_id = ?", batchId)).isEqualTo(50);
    assertThat(usage() - usageBefore).as("credentials reserved against the quota").isEqualTo(50);
    JsonObject anchored = Batches.awaitStatus(app, key, batchId, "anchored");
    assertThat(anchored.getJsonObject("anchor").getString("tx_hash")).isNotBlank();
    // every duplicate was answered, and recorded, as the one 202
    Eventually.await("100 audit records of the duplicates", Duration.ofSeconds(10), () -> Optional.of(
        app.queryLong("SELECT count(*) FROM audit_log WHERE idempotency_key = ? AND status = 202", idem))
        .filter(n -> n == duplicates));
    System.out.printf("IdempotencyTest: %d concurrent duplicates, %d executed (batch rows), %d replays%n",
        duplicates, batchesWithKey(idem), duplicates - 1);
  }

  @Test
  @DisplayName("a 5xx is not stored: the failed attempt committed nothing and a retry runs again")
  void serverErrorsAreNotStored() {
    app.execute("""
        CREATE OR REPLACE FUNCTION fail_boom() RETURNS trigger AS $$
        BEGIN
          IF NEW.recipient_name = 'boom' THEN RAISE EXCEPTION 'simulated storage failure'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""");
    app.execute("CREATE TRIGGER boom BEFORE INSERT ON credentials FOR EACH ROW EXECUTE FUNCTION fail_boom()");
    var batch = Batches.of(3);
    batch.getJsonArray("credentials").getJsonObject(2).getJsonObject("recipient").put("name", "boom");
    String idem = UUID.randomUUID().toString();
    long usageBefore = usage();
    try {
      var error = app.post("/v1/batches", key, batch.encode(), "Idempotency-Key", idem)
          .assertError(500, "internal_error");
      assertThat(error.getString("message")).doesNotContain("simulated", "INSERT", "Exception", "pg");
    } finally {
      app.execute("DROP TRIGGER boom ON credentials");
    }
    assertThat(batchesWithKey(idem)).isZero();
    assertThat(usage()).isEqualTo(usageBefore);
    assertThat(app.queryLong("SELECT count(*) FROM idempotency_keys WHERE key = ?", idem)).isZero();
    Reply retry = app.post("/v1/batches", key, batch.encode(), "Idempotency-Key", idem).assertStatus(202);
    assertThat(retry.header("Idempotent-Replayed")).isNull();
    assertThat(batchesWithKey(idem)).isEqualTo(1);
  }

  @Test
  @DisplayName("a retry waits while the node holding the key's claim lives, and runs at once when "
      + "that node dies (not after the 60 s takeover)")
  void deadNodesClaim() throws Exception {
    String probe = UUID.randomUUID().toString();
    app.post("/v1/batches", key, Batches.of(1).encode(), "Idempotency-Key", probe).assertStatus(202);
    assertThat(app.queryLong("SELECT claimed_by FROM idempotency_keys WHERE key = ?", probe))
        .as("a claim names its node's mark")
        .isEqualTo(app.gateway().services().changes().nodeMark().longValue());
    String idem = UUID.randomUUID().toString();
    String body = Batches.of(1).encode();
    ExecutorService client = Executors.newSingleThreadExecutor();
    // The other node: its change-feed session holds its mark, and it claimed the key mid-request.
    try (Connection otherNode = app.jdbc()) {
      otherNode.createStatement().execute("SELECT pg_advisory_lock(7013, 424242)");
      try (PreparedStatement claim = otherNode.prepareStatement("""
          INSERT INTO idempotency_keys (tenant_id, environment, key, method, path, body_sha256,
                                        claimed_by)
          SELECT tenant_id, environment, ?, 'POST', '/v1/batches', sha256(convert_to(?, 'UTF8')),
                 424242
            FROM idempotency_keys WHERE key = ?""")) {
        claim.setString(1, idem);
        claim.setString(2, body);
        claim.setString(3, probe);
        assertThat(claim.executeUpdate()).isOne();
      }
      Future<Reply> retry = client.submit(() ->
          app.post("/v1/batches", key, body, "Idempotency-Key", idem));
      Thread.sleep(1_500);
      assertThat(retry).as("the retry waits for the live node's answer").isNotDone();
      assertThat(batchesWithKey(idem)).isZero();
      otherNode.abort(Runnable::run); // the node is gone: PostgreSQL ends its session and lock
      Reply answer = retry.get(10, TimeUnit.SECONDS).assertStatus(202);
      assertThat(answer.header("Idempotent-Replayed")).isNull();
    } finally {
      client.shutdownNow();
    }
    assertThat(batchesWithKey(idem)).isOne();
    Reply replay = app.post("/v1/batches", key, body, "Idempotency-Key", idem).assertStatus(202);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  @DisplayName("records older than 24 h are swept, and the key can then be used afresh")
  void expiry() {
    String swept = UUID.randomUUID().toString();
    String reused = UUID.randomUUID().toString();
    app.post("/v1/batches", key, Batches.of(1).encode(), "Idempotency-Key", swept).assertStatus(202);
    app.post("/v1/batches", key, Batches.of(1).encode(), "Idempotency-Key", reused).assertStatus(202);
    app.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key IN ('"
        + swept + "', '" + reused + "')");
    // Another node: this one's fast path still holds the records with their real creation time.
    try (TestGateway other = app.anotherNode()) {
      Reply fresh = other.post("/v1/batches", key, Batches.of(2).encode(), "Idempotency-Key", reused)
          .assertStatus(202);
      assertThat(fresh.header("Idempotent-Replayed")).isNull();
    }
    assertThat(batchesWithKey(reused)).isOne();
    app.gateway().services().idempotency().sweep().await();
    assertThat(app.queryLong("SELECT count(*) FROM idempotency_keys WHERE key = ?", swept)).isZero();
    assertThat(app.queryLong("SELECT count(*) FROM idempotency_keys WHERE key = ?", reused)).isOne();
  }

  @Test
  @DisplayName("an Idempotency-Key over 255 characters is 400 invalid_field_format naming the header")
  void keyTooLong() {
    var error = app.post("/v1/batches", key, Batches.of(1).encode(), "Idempotency-Key", "k".repeat(256))
        .assertError(400, "invalid_field_format");
    assertThat(error.getString("message")).contains("Idempotency-Key");
  }

  @Test
  @DisplayName("stored responses survive a restart of the node")
  void survivesRestart() {
    String idem = UUID.randomUUID().toString();
    String body = Batches.of(1).encode();
    Reply first = app.post("/v1/batches", key, body, "Idempotency-Key", idem).assertStatus(202);
    app = app.restart();
    Reply again = app.post("/v1/batches", key, body, "Idempotency-Key", idem).assertStatus(202);
    assertThat(again.raw().body()).isEqualTo(first.raw().body());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(batchesWithKey(idem)).isEqualTo(1);
  }

  private static long batchesWithKey(String idem) {
    return app.queryLong("SELECT count(*) FROM batches WHERE idempotency_key = ?", idem);
  }

  private static long usage() {
    return app.queryLong("SELECT coalesce(sum(credentials), 0) FROM monthly_usage WHERE tenant_id = ?",
        tenant);
  }
}
