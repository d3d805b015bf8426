package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest(plan = "starter")
@DisplayName("Every layer answers failures with the contract's envelope")
class ErrorContractTest {
  private static TestGateway app;
  @TenantKey private static String key;
  @TenantId private static String tenantId;

  @Test
  @DisplayName("an unknown path is 404 route_not_found, with X-Request-Id equal to request_id")
  void unknownRoute() {
    app.unvalidated().send("GET", "/nowhere", null).assertError(404, "route_not_found");
    app.unvalidated().get("/v1/nowhere", key).assertError(404, "route_not_found");
  }

  @Test
  @DisplayName("a known path with the wrong method is 405 method_not_allowed")
  void wrongMethod() {
    app.unvalidated().send("DELETE", "/v1/batches", null, "Authorization", "Bearer " + key)
        .assertError(405, "method_not_allowed");
  }

  @Test
  @DisplayName("a 10 MB body is 413 payload_too_large before authentication")
  void bodyTooLarge() {
    byte[] huge = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'a');
    app.send("POST", "/v1/batches", huge, "Content-Type", "application/json")
        .assertError(413, "payload_too_large");
  }

  @Test
  @DisplayName("a body that is not application/json is 415 unsupported_media_type")
  void wrongMediaType() {
    app.send("POST", "/v1/batches", "credentials=1".getBytes(StandardCharsets.UTF_8),
            "Authorization", "Bearer " + key, "Content-Type", "application/x-www-form-urlencoded")
        .assertError(415, "unsupported_media_type");
  }

  @Test
  @DisplayName("no Authorization header is 401 api_key_missing")
  void keyMissing() {
    app.send("GET", "/v1/tenants/" + tenantId, null).assertError(401, "api_key_missing");
  }

  @Test
  @DisplayName("a malformed header, a wrong prefix or an unknown key is 401 api_key_invalid")
  void keyInvalid() {
    app.send("GET", "/v1/tenants/" + tenantId, null, "Authorization", "Basic abc")
        .assertError(401, "api_key_invalid");
    app.get("/v1/tenants/" + tenantId, "sk_test_" + "a".repeat(32)).assertError(401, "api_key_invalid");
    app.get("/v1/tenants/" + tenantId, "lrn_test_" + "a".repeat(31)).assertError(401, "api_key_invalid");
    JsonObject error = app.get("/v1/tenants/" + tenantId, "lrn_test_" + "Z".repeat(32))
        .assertError(401, "api_key_invalid");
    assertThat(error.getString("message")).contains("ZZZZ").doesNotContain("Z".repeat(32));
  }

  @Test
  @DisplayName("a revoked key is 401 api_key_revoked")
  void keyRevoked() {
    JsonObject created = app.key(tenantId, "test");
    app.get("/v1/tenants/" + tenantId, created.getString("key")).assertStatus(200);
    app.admin("POST", "/admin/v1/keys/" + created.getString("id") + "/revoke", null).assertStatus(200);
    app.get("/v1/tenants/" + tenantId, created.getString("key")).assertError(401, "api_key_revoked");
  }

  @Test
  @DisplayName("another tenant's id is 404 tenant_not_found; one's own tenant shows plan and usage")
  void tenants() {
    String other = app.tenant("industry");
    app.get("/v1/tenants/" + other, key).assertError(404, "tenant_not_found");
    app.get("/v1/tenants/ten_nope", key).assertError(404, "tenant_not_found");
    JsonObject own = app.get("/v1/tenants/" + tenantId, key).assertStatus(200).json();
    assertThat(own.getString("plan")).isEqualTo("starter");
    assertThat(own.getJsonObject("limits").getInteger("requests_per_minute")).isEqualTo(120);
    assertThat(own.getJsonObject("usage").getJsonObject("credentials_issued").getInteger("test"))
        .isGreaterThanOrEqualTo(0);
  }

  @Test
  @DisplayName("an unknown or foreign batch is 404 batch_not_found, and live keys don't see test batches")
  void batchNotFound() {
    String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202)
        .json().getString("id");
    app.get("/v1/batches/" + batchId, key).assertStatus(200);
    app.get("/v1/batches/bat_unknown", key).assertError(404, "batch_not_found");
    app.get("/v1/batches/" + batchId, app.newTestKey("starter")).assertError(404, "batch_not_found");
    app.get("/v1/batches/" + batchId, app.key(tenantId, "live").getString("key"))
        .assertError(404, "batch_not_found");
  }

  @Test
  @DisplayName("the admin API without a valid token is 401 admin_token_invalid")
  void adminToken() {
    app.send("POST", "/admin/v1/tenants", "{}".getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json").assertError(401, "admin_token_invalid");
    app.send("GET", "/admin/v1/audit/req_x", null, "Authorization", "Bearer not.a.jwt")
        .assertError(401, "admin_token_invalid");
    String forged = com.learncoin.gateway.admin.AdminTokens.mint(com.learncoin.gateway.admin
        .AdminTokens.auth(Vertx.vertx(), "another-secret-of-at-least-32-characters"), 5);
    app.send("GET", "/admin/v1/audit/req_x", null, "Authorization", "Bearer " + forged)
        .assertError(401, "admin_token_invalid");
  }

  @Test
  @DisplayName("admin input errors name the field")
  void adminValidation() {
    JsonObject error = app.admin("POST", "/admin/v1/tenants", new JsonObject().put("plan", "gold"))
        .assertError(400, "missing_required_field");
    assertThat(error.getString("message")).contains("name");
    error = app.admin("POST", "/admin/v1/tenants", new JsonObject().put("name", "x").put("plan", "gold"))
        .assertError(400, "invalid_field_format");
    assertThat(error.getString("message")).contains("plan");
    error = app.admin("POST", "/admin/v1/tenants/" + tenantId + "/keys", new JsonObject()
        .put("ip_allowlist", new io.vertx.core.json.JsonArray().add("10.0.0.0/8").add("nope")))
        .assertError(400, "invalid_field_format");
    assertThat(error.getString("message")).contains("ip_allowlist[1]");
    app.admin("POST", "/admin/v1/tenants/ten_missing/keys", new JsonObject())
        .assertError(404, "tenant_not_found");
    app.admin("PATCH", "/admin/v1/tenants/ten_missing", new JsonObject().put("plan", "industry"))
        .assertError(404, "tenant_not_found");
  }

  @Test
  @DisplayName("health: live and ready answer 200 without a key")
  void health() {
    assertThat(app.send("GET", "/health/live", null).assertStatus(200).json().getString("status"))
        .isEqualTo("live");
    assertThat(app.send("GET", "/health/ready", null).assertStatus(200).json()
        .getJsonObject("checks").getString("database")).isEqualTo("ok");
  }
}
