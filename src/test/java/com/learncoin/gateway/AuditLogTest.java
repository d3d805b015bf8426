package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.audit.AuditLog;
import com.learncoin.gateway.audit.AuditRecord;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Every request, failed ones included, is in the audit log")
class AuditLogTest {
  private static TestGateway app;

  @Test
  @DisplayName("a failed call's record is found by its request id through the admin API")
  void failedCall() {
    Reply failed = app.get("/v1/tenants/ten_x", "lrn_test_" + "x".repeat(32));
    String requestId = failed.assertError(401, "api_key_invalid").getString("request_id");
    JsonObject record = awaitRecord(requestId);
    assertThat(record.getString("request_id")).isEqualTo(requestId);
    assertThat(record.getInteger("status")).isEqualTo(401);
    assertThat(record.getString("error_code")).isEqualTo("api_key_invalid");
    assertThat(record.getString("method")).isEqualTo("GET");
    assertThat(record.getString("path")).isEqualTo("/v1/tenants/ten_x");
    assertThat(record.getString("client_ip")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(record.getString("tenant_id")).isNull();
    assertThat(record.getInteger("latency_ms")).isNotNegative();
    assertThat(record.getString("at")).isNotBlank();
  }

  @Test
  @DisplayName("an authenticated call's record names tenant, key and idempotency key")
  void authenticatedCall() {
    String tenant = app.tenant("industry");
    JsonObject key = app.key(tenant, "test");
    Reply ok = app.post("/v1/batches", key.getString("key"), Batches.of(1).encode(),
        "Idempotency-Key", "audit-1").assertStatus(202);
    JsonObject record = awaitRecord(ok.header("X-Request-Id"));
    assertThat(record.getString("tenant_id")).isEqualTo(tenant);
    assertThat(record.getString("key_id")).isEqualTo(key.getString("id"));
    assertThat(record.getString("idempotency_key")).isEqualTo("audit-1");
    assertThat(record.getInteger("status")).isEqualTo(202);
    assertThat(record.getString("error_code")).isNull();
  }

  @Test
  @DisplayName("an unknown request id is 404 route_not_found")
  void unknown() {
    app.admin("GET", "/admin/v1/audit/req_00000000000000000000000000", null)
        .assertError(404, "route_not_found");
  }

  @Test
  @DisplayName("records still queued are written on a clean shutdown")
  void flushedOnShutdown(Vertx vertx) {
    TestGateway slow = TestGateway.start(vertx, Map.of("LEARNCOIN_AUDIT_FLUSH_MILLIS", "60000"));
    String requestId = slow.unvalidated().send("GET", "/v1/nowhere", null).header("X-Request-Id");
    assertThat(slow.queryLong("SELECT count(*) FROM audit_log WHERE request_id = ?", requestId)).isZero();
    slow.close();
    assertThat(slow.queryLong("SELECT count(*) FROM audit_log WHERE request_id = ?", requestId)).isOne();
  }

  @Test
  @DisplayName("a batch written again after its first write had committed loses and doubles nothing")
  void batchWrittenAgain() {
    String requestId = app.unvalidated().send("GET", "/v1/nowhere", null).header("X-Request-Id");
    awaitRecord(requestId);
    AuditLog audit = app.gateway().services().audit();
    AuditRecord again = new AuditRecord(requestId, Instant.now(), null, null, "127.0.0.1", "GET",
        "/v1/nowhere", 404, "route_not_found", 1, null);
    AuditRecord fresh = new AuditRecord("req_" + requestId.substring(4, 14) + "ZZZZZZZZZZZZZZZZ",
        Instant.now(), null, null, "127.0.0.1", "GET", "/v1/elsewhere", 404, "route_not_found", 1,
        null);
    audit.record(again);
    audit.record(fresh);
    audit.flush().await();

    assertThat(app.queryLong("SELECT count(*) FROM audit_log WHERE request_id = ?", requestId))
        .isOne();
    assertThat(app.queryText("SELECT path FROM audit_log WHERE request_id = ?",
        fresh.requestId())).isEqualTo("/v1/elsewhere");
  }

  @Test
  @DisplayName("10,000 queued records are all written by one flush (several batches at once), each once")
  void manyBatchesAtOnce() {
    AuditLog audit = app.gateway().services().audit();
    String prefix = "req_bulk" + System.nanoTime() + "_";
    for (int i = 0; i < 10_000; i++) {
      audit.record(new AuditRecord(prefix + i, Instant.now(), null, null, "127.0.0.1", "GET",
          "/v1/bulk/" + i, 404, "route_not_found", 0, null));
    }
    audit.flush().await();

    assertThat(app.queryLong("SELECT count(*) FROM audit_log WHERE request_id LIKE ?",
        prefix + "%")).isEqualTo(10_000);
    assertThat(app.queryLong("SELECT count(DISTINCT path) FROM audit_log WHERE request_id LIKE ?",
        prefix + "%")).isEqualTo(10_000);
  }

  private static JsonObject awaitRecord(String requestId) {
    return Eventually.await("the audit record of " + requestId, Duration.ofSeconds(5), () ->
        Optional.of(app.admin("GET", "/admin/v1/audit/" + requestId, null))
            .filter(r -> r.status() == 200).map(Reply::json));
  }
}
