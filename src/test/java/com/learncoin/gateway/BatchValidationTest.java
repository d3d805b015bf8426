package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@GatewayTest
@DisplayName("POST /v1/batches validates in the contract's order and names the JSON path")
class BatchValidationTest {
  private static TestGateway app;
  @TenantKey private static String key;

  static Stream<Arguments> brokenCredentials() {
    return Stream.of(
        broken("recipient absent", "missing_required_field", "credentials[1].recipient.id",
            c -> c.remove("recipient")),
        broken("recipient.id absent", "missing_required_field", "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").remove("id")),
        broken("issuanceDate absent", "missing_required_field", "credentials[1].issuanceDate",
            c -> c.remove("issuanceDate")),
        broken("achievement absent", "missing_required_field", "credentials[1].achievement",
            c -> c.remove("achievement")),
        broken("achievement.name absent", "missing_required_field", "credentials[1].achievement.name",
            c -> c.getJsonObject("achievement").remove("name")),
        broken("achievement.description absent", "missing_required_field",
            "credentials[1].achievement.description",
            c -> c.getJsonObject("achievement").remove("description")),
        broken("achievement.criteria absent", "missing_required_field",
            "credentials[1].achievement.criteria",
            c -> c.getJsonObject("achievement").remove("criteria")),
        broken("alignment targetName absent", "missing_required_field",
            "credentials[1].achievement.alignment[0].targetName",
            c -> alignment(c).remove("targetName")),
        broken("alignment targetUrl absent", "missing_required_field",
            "credentials[1].achievement.alignment[0].targetUrl", c -> alignment(c).remove("targetUrl")),
        broken("alignment targetFramework absent", "missing_required_field",
            "credentials[1].achievement.alignment[0].targetFramework",
            c -> alignment(c).remove("targetFramework")),
        broken("recipient.id not a urn:uuid", "recipient_id_invalid", "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "mailto:ada@example.org")),
        broken("recipient.id a version-1 UUID", "recipient_id_invalid", "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "urn:uuid:c232ab00-9414-11ec-b3c8-9f6bdeced846")),
        broken("issuanceDate without offset", "invalid_field_format", "credentials[1].issuanceDate",
            c -> c.put("issuanceDate", "2026-11-27T10:00:00")),
        broken("issuanceDate with a decimal point but no fraction digits", "invalid_field_format",
            "credentials[1].issuanceDate", c -> c.put("issuanceDate", "2026-11-27T10:00:00.Z")),
        broken("expirationDate not a date", "invalid_field_format", "credentials[1].expirationDate",
            c -> c.put("expirationDate", "next year")),
        broken("expirationDate before issuanceDate", "invalid_field_format",
            "credentials[1].expirationDate", c -> c.put("expirationDate", "2020-01-01T00:00:00Z")),
        broken("achievement.name a number", "invalid_field_format", "credentials[1].achievement.name",
            c -> c.getJsonObject("achievement").put("name", 42)),
        broken("recipient a string", "invalid_field_format", "credentials[1].recipient",
            c -> c.put("recipient", "ada")),
        broken("criteria a string", "invalid_field_format", "credentials[1].achievement.criteria",
            c -> c.getJsonObject("achievement").put("criteria", "pass")),
        broken("targetUrl relative", "invalid_field_format",
            "credentials[1].achievement.alignment[0].targetUrl",
            c -> alignment(c).put("targetUrl", "/skills/welding")),
        broken("unknown framework", "alignment_framework_unknown",
            "credentials[1].achievement.alignment[0].targetFramework",
            c -> alignment(c).put("targetFramework", "SFIA")),
        broken("achievement over 64 KB", "achievement_too_large", "credentials[1].achievement",
            c -> c.getJsonObject("achievement").put("description", "x".repeat(9_000))
                .put("image", "y".repeat(60_000))));
  }

  @ParameterizedTest(name = "{0} → {1} naming {2}")
  @MethodSource("brokenCredentials")
  @DisplayName("a broken second credential")
  void brokenCredential(String what, String code, String path, Consumer<JsonObject> breakIt) {
    JsonObject batch = Batches.of(3);
    breakIt.accept(batch.getJsonArray("credentials").getJsonObject(1));
    JsonObject error = app.post("/v1/batches", key, batch.encode()).assertError(400, code);
    assertThat(error.getString("message")).contains(path);
  }

  @Test
  @DisplayName("the first failure wins: a missing field of credential 0 beats a bad id in credential 1")
  void firstFailureWins() {
    JsonObject batch = Batches.of(2);
    batch.getJsonArray("credentials").getJsonObject(1).getJsonObject("recipient").put("id", "x");
    batch.getJsonArray("credentials").getJsonObject(0).remove("issuanceDate");
    JsonObject error = app.post("/v1/batches", key, batch.encode())
        .assertError(400, "missing_required_field");
    assertThat(error.getString("message")).contains("credentials[0].issuanceDate");
  }

  @Test
  @DisplayName("a body that is not JSON, or not an object, is invalid_json")
  void invalidJson() {
    app.post("/v1/batches", key, "{\"credentials\": [").assertError(400, "invalid_json");
    app.post("/v1/batches", key, "[1,2]").assertError(400, "invalid_json");
    app.post("/v1/batches", key, "").assertError(400, "invalid_json");
  }

  @Test
  @DisplayName("credentials absent or empty is missing_required_field; over 500 is batch_too_large")
  void credentialsCount() {
    assertThat(app.post("/v1/batches", key, "{}").assertError(400, "missing_required_field")
        .getString("message")).contains("credentials");
    app.post("/v1/batches", key, "{\"credentials\": []}").assertError(400, "missing_required_field");
    assertThat(app.post("/v1/batches", key, Batches.of(501).encode())
        .assertError(400, "batch_too_large").getString("message")).contains("501");
  }

  @Test
  @DisplayName("a custom issuer: 403 tier_required on starter, environment_mismatch on a test key, "
      + "issuer_not_verified on a live key of a tenant that has not proven it")
  void tierRequired() {
    JsonObject batch = Batches.of(1).put("issuer", "did:web:school.example");
    app.post("/v1/batches", app.newTestKey("starter"), batch.encode()).assertError(403, "tier_required");
    app.post("/v1/batches", key, batch.encode()).assertError(403, "environment_mismatch");
    String live = app.key(app.tenant("industry"), "live").getString("key");
    app.post("/v1/batches", live, batch.encode()).assertError(403, "issuer_not_verified");
  }

  @Test
  @DisplayName("a 60 KB description is accepted (202); a 70 KB achievement is achievement_too_large")
  void achievementSize() {
    JsonObject credential = Batches.credential();
    credential.getJsonObject("achievement").put("description", "d".repeat(60_000));
    app.post("/v1/batches", key, Batches.with(credential).encode()).assertStatus(202);
    JsonObject tooLarge = Batches.credential();
    tooLarge.getJsonObject("achievement").put("description", "d".repeat(70_000));
    assertThat(app.post("/v1/batches", key, Batches.with(tooLarge).encode())
        .assertError(400, "achievement_too_large").getString("message"))
        .startsWith("credentials[0].achievement");
  }

  @Test
  @DisplayName("network base with a test key, or base-sepolia with a live key, is 403 environment_mismatch")
  void environmentMismatch() {
    app.post("/v1/batches", key, Batches.of(1).put("network", "base").encode())
        .assertError(403, "environment_mismatch");
    String tenant = app.tenant("institution");
    String live = app.key(tenant, "live").getString("key");
    app.post("/v1/batches", live, Batches.of(1).put("network", "base-sepolia").encode())
        .assertError(403, "environment_mismatch");
    JsonObject batch = app.post("/v1/batches", live, Batches.of(1).encode()).assertStatus(202).json();
    assertThat(batch.getString("network")).isEqualTo("base");
  }

  @Test
  @DisplayName("a valid batch is stored queued with its credentials, and 202 carries Location")
  void accepted() {
    var reply = app.post("/v1/batches", key, Batches.of(3).encode()).assertStatus(202);
    JsonObject batch = reply.json();
    assertThat(batch.getString("id")).startsWith("bat_");
    assertThat(batch.getString("status")).isEqualTo("queued");
    assertThat(batch.getString("network")).isEqualTo("base-sepolia");
    assertThat(batch.getInteger("count")).isEqualTo(3);
    assertThat(batch.getValue("anchor")).isNull();
    assertThat(reply.header("Location")).isEqualTo("/v1/batches/" + batch.getString("id"));
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE batch_id = ?",
        batch.getString("id"))).isEqualTo(3);
    JsonObject read = app.get("/v1/batches/" + batch.getString("id"), key).assertStatus(200).json();
    assertThat(read.getString("id")).isEqualTo(batch.getString("id"));
    assertThat(read.getString("created_at")).isEqualTo(batch.getString("created_at"));
    assertThat(read.getString("status")).isIn("queued", "signing", "anchoring", "anchored");
  }

  @Test
  @DisplayName("a batch the month's quota cannot hold is 422 monthly_quota_exceeded and stores nothing")
  void quota() {
    String tenant = app.tenant("starter");
    String starter = app.key(tenant, "test").getString("key");
    app.post("/v1/batches", starter, Batches.of(500).encode()).assertStatus(202);
    app.post("/v1/batches", starter, Batches.of(400).encode()).assertStatus(202);
    long before = app.queryLong("SELECT count(*) FROM credentials WHERE tenant_id = ?", tenant);
    app.post("/v1/batches", starter, Batches.of(101).encode())
        .assertError(422, "monthly_quota_exceeded");
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE tenant_id = ?", tenant))
        .isEqualTo(before).isEqualTo(900);
    assertThat(app.queryLong("SELECT count(*) FROM batches WHERE tenant_id = ?", tenant)).isEqualTo(2);
    app.post("/v1/batches", starter, Batches.of(100).encode()).assertStatus(202);
    JsonObject usage = app.get("/v1/tenants/" + tenant, starter).json().getJsonObject("usage");
    assertThat(usage.getJsonObject("credentials_issued").getInteger("test")).isEqualTo(1000);
    assertThat(usage.getJsonObject("credentials_remaining").getInteger("test")).isZero();
  }

  private static Arguments broken(String what, String code, String path, Consumer<JsonObject> change) {
    return Arguments.of(what, code, path, change);
  }

  private static JsonObject alignment(JsonObject credential) {
    JsonArray alignments = credential.getJsonObject("achievement").getJsonArray("alignment");
    return alignments.getJsonObject(0);
  }
}
