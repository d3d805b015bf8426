package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest(env = "LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true")
@DisplayName("A tenant can neither see nor change another tenant's objects")
class TenantIsolationTest {
  private static TestGateway app;
  @TenantId private static String ownerTenant;
  @TenantKey private static String ownerKey;
  private static String batchId;
  private static String credentialId;
  private static String intruder;
  private static String webhookId;

  @BeforeAll
  static void start() {
    batchId = app.post("/v1/batches", ownerKey, Batches.of(2).encode()).assertStatus(202).json()
        .getString("id");
    Batches.awaitStatus(app, ownerKey, batchId, "anchored");
    credentialId = app.get("/v1/batches/" + batchId + "/credentials", ownerKey).json()
        .getJsonArray("data").getJsonObject(0).getString("id");
    intruder = app.newTestKey("industry");
    webhookId = app.post("/v1/webhooks", ownerKey, new io.vertx.core.json.JsonObject()
        .put("url", "http://127.0.0.1:9/hooks").put("events", new io.vertx.core.json.JsonArray()
            .add("credential.revoked")).encode()).assertStatus(201).json().getString("id");
  }

  @Test
  @DisplayName("every /v1 route answers another tenant's ids with 404 or 403 and changes nothing")
  void everyRoute() {
    String before = snapshot();
    app.get("/v1/tenants/" + ownerTenant, intruder).assertError(404, "tenant_not_found");
    app.get("/v1/batches/" + batchId, intruder).assertError(404, "batch_not_found");
    app.get("/v1/batches/" + batchId + "/credentials", intruder).assertError(404, "batch_not_found");
    app.get("/v1/credentials/" + credentialId, intruder).assertError(404, "credential_not_found");
    app.post("/v1/credentials/" + credentialId + "/revoke", intruder, null)
        .assertError(403, "credential_not_owned");
    app.post("/v1/credentials/" + credentialId + "/erase", intruder, null)
        .assertError(403, "credential_not_owned");
    app.get("/v1/webhooks/" + webhookId, intruder).assertError(404, "webhook_not_found");
    app.get("/v1/webhooks/" + webhookId + "/deliveries", intruder)
        .assertError(404, "webhook_not_found");
    app.post("/v1/webhooks/" + webhookId + "/deliveries/whd_x/retry", intruder, null)
        .assertError(404, "webhook_not_found");
    app.send("DELETE", "/v1/webhooks/" + webhookId, null, "Authorization", "Bearer " + intruder)
        .assertError(404, "webhook_not_found");
    assertThat(app.get("/v1/webhooks", intruder).assertStatus(200).json().getJsonArray("data"))
        .isEmpty();
    assertThat(snapshot()).isEqualTo(before);
    app.get("/v1/credentials/" + credentialId, ownerKey).assertStatus(200);
    app.get("/v1/webhooks/" + webhookId, ownerKey).assertStatus(200);
  }

  /** What the owner's rows look like, for "nothing changed". */
  private static String snapshot() {
    return app.queryText("SELECT string_agg(c.id || c.status || coalesce(c.revoked_at::text, '-')"
        + " || coalesce(c.erased_at::text, '-') || coalesce(c.recipient_id, '-'), ',' ORDER BY c.id)"
        + " FROM credentials c WHERE c.tenant_id = ?", ownerTenant)
        + app.queryText("SELECT string_agg(id || status || updated_at::text, ',') FROM batches"
        + " WHERE tenant_id = ?", ownerTenant)
        + app.queryLong("SELECT count(*) FROM webhook_endpoints WHERE id = ?", webhookId);
  }
}
