package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.CapturedLogs;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Logs are JSON lines: one per request, one per background step, no secrets or learners")
class AccessLogTest {
  private static TestGateway app;

  @Test
  @DisplayName("each request gives exactly one access line with ids, route template, status and latency")
  void oneLinePerRequest() {
    String tenant = app.tenant("industry");
    JsonObject key = app.key(tenant, "test");
    try (CapturedLogs logs = new CapturedLogs()) {
      Reply ok = app.get("/v1/tenants/" + tenant, key.getString("key")).assertStatus(200);
      Reply missing = app.get("/v1/batches/bat_00000000000000000000000000", key.getString("key"));
      missing.assertError(404, "batch_not_found");
      Reply unauthenticated = app.get("/v1/tenants/" + tenant, "lrn_test_" + "0".repeat(32));
      unauthenticated.assertError(401, "api_key_invalid");

      JsonObject line = awaitAccessLine(logs, ok.header("X-Request-Id"));
      assertThat(line.getString("level")).isEqualTo("INFO");
      assertThat(line.getString("tenant_id")).isEqualTo(tenant);
      assertThat(line.getString("key_id")).isEqualTo(key.getString("id"));
      assertThat(line.getString("method")).isEqualTo("GET");
      assertThat(line.getString("route")).isEqualTo("/v1/tenants/:id");
      assertThat(line.getInteger("status")).isEqualTo(200);
      assertThat(line.getInteger("latency_ms")).isNotNegative();
      assertThat(line.getString("ts")).isNotBlank();
      assertThat(line.containsKey("error_code")).isFalse();

      JsonObject notFound = awaitAccessLine(logs, missing.header("X-Request-Id"));
      assertThat(notFound.getString("route")).isEqualTo("/v1/batches/:id");
      assertThat(notFound.getInteger("status")).isEqualTo(404);
      assertThat(notFound.getString("error_code")).isEqualTo("batch_not_found");

      JsonObject rejected = awaitAccessLine(logs, unauthenticated.header("X-Request-Id"));
      assertThat(rejected.getString("error_code")).isEqualTo("api_key_invalid");
      assertThat(rejected.containsKey("tenant_id")).isFalse();
      assertThat(logs.lines()).noneMatch(l -> l.contains("0".repeat(32)));
    }
  }

  @Test
  @DisplayName("an issued batch logs its state changes by batch id; no key, token or learner data appears")
  void backgroundStepsWithoutSecrets() {
    String tenant = app.tenant("industry");
    String apiKey = app.key(tenant, "test").getString("key");
    JsonObject credential = Batches.credential();
    credential.getJsonObject("recipient").put("name", "Grace Brewster Hopper")
        .put("email", "grace.hopper@example.edu");
    try (CapturedLogs logs = new CapturedLogs()) {
      Reply created = app.post("/v1/batches", apiKey, Batches.with(credential).encode(),
          "Idempotency-Key", "logs-1").assertStatus(202);
      String batchId = created.json().getString("id");
      Batches.awaitStatus(app, apiKey, batchId, "anchored");
      Eventually.await("the anchored line", Duration.ofSeconds(10), () -> logs.json().stream()
          .anyMatch(l -> batchId.equals(l.getString("batch_id"))
              && "anchored".equals(l.getString("state"))));

      List<JsonObject> steps = logs.json().stream()
          .filter(l -> batchId.equals(l.getString("batch_id"))).toList();
      assertThat(steps).extracting(l -> l.getString("state")).contains("anchoring", "anchored");
      JsonObject post = awaitAccessLine(logs, created.header("X-Request-Id"));
      assertThat(post.getString("route")).isEqualTo("/v1/batches");
      assertThat(post.getInteger("status")).isEqualTo(202);
      assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
          .doesNotContain(apiKey, apiKey.substring(9), app.adminToken(),
              app.gateway().adminSecret(), "Grace Brewster Hopper", "grace.hopper@example.edu",
              "logs-1"));
    }
  }

  @Test
  @DisplayName("a request too malformed to reach the router still gets its access line")
  void undecodableRequest() throws Exception {
    try (CapturedLogs logs = new CapturedLogs();
        Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("GET /v1/tenants HTTP/1.1\r\nHost: x\r\nX-Big: "
          + "a".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      String head = new String(socket.getInputStream().readNBytes(512), StandardCharsets.ISO_8859_1);
      Matcher id = Pattern.compile("(?i)x-request-id: (req_\\w+)").matcher(head);
      assertThat(id.find()).as("request id in %s", head).isTrue();

      JsonObject line = awaitAccessLine(logs, id.group(1));
      assertThat(line.getString("route")).isEqualTo("unmatched");
      assertThat(line.getInteger("status")).isEqualTo(413);
      assertThat(line.getString("error_code")).isEqualTo("payload_too_large");
    }
  }

  private static JsonObject awaitAccessLine(CapturedLogs logs, String requestId) {
    Eventually.await("the access line of " + requestId, Duration.ofSeconds(5), () -> logs.json()
        .stream().anyMatch(l -> requestId.equals(l.getString("request_id"))));
    List<JsonObject> lines = logs.json().stream()
        .filter(l -> requestId.equals(l.getString("request_id"))).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getString("logger")).isEqualTo("learncoin.access");
    return lines.get(0);
  }
}
