package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.identity.TenantKey;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Signing keys: made once per tenant, rotated without breaking old credentials, retired with what they signed")
class SigningKeysTest {
  private static TestGateway app;

  @Test
  @DisplayName("tenant creation makes a test and a live key; the database holds only sealed seeds")
  void madeAtCreation() {
    String tenant = app.tenant("industry");
    JsonArray keys = app.admin("GET", "/admin/v1/tenants/" + tenant + "/signing-keys", null)
        .assertStatus(200).json().getJsonArray("data");
    assertThat(keys).hasSize(2);
    assertThat(keys.stream().map(k -> ((JsonObject) k).getString("environment")))
        .containsExactlyInAnyOrder("test", "live");
    assertThat(keys.getJsonObject(0).getString("status")).isEqualTo("active");
    TenantKey key = app.gateway().services().tenantKeys().active(tenant, "test").await();
    // 12-byte nonce + 32-byte seed + 16-byte tag: sealed, never the 32-byte seed itself.
    assertThat(app.queryLong("SELECT octet_length(encrypted_seed) FROM signing_keys WHERE id = ?",
        key.id())).isEqualTo(60);
    assertThat(app.queryLong("SELECT count(*) FROM signing_keys WHERE kms_key_version IS NOT NULL "
        + "AND tenant_id = ?", tenant)).isZero();
  }

  @Test
  @DisplayName("two nodes making a tenant's first key at once end with one key, the same on both")
  void oneKeyAcrossNodes() {
    TestGateway other = app.anotherNode();
    try {
      List<String> tenants = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String tenant = "ten_race" + System.nanoTime();
        app.execute("INSERT INTO tenants (id, name, plan) VALUES ('" + tenant + "', 'Race', "
            + "'industry')");
        tenants.add(tenant);
      }
      TenantKeys a = app.gateway().services().tenantKeys();
      TenantKeys b = other.gateway().services().tenantKeys();
      for (String tenant : tenants) {
        var both = Future.all(a.active(tenant, "live"), b.active(tenant, "live")).await();
        assertThat(both.<TenantKey>resultAt(0).id()).isEqualTo(both.<TenantKey>resultAt(1).id());
        assertThat(app.queryLong("SELECT count(*) FROM signing_keys WHERE tenant_id = ?", tenant))
            .isEqualTo(1);
      }
    } finally {
      other.close();
    }
  }

  @Test
  @DisplayName("issue, rotate, issue: both verify; retiring the first key revokes only its credentials")
  void rotateThenRetire() throws Exception {
    String tenant = app.tenant("industry");
    String key = app.key(tenant, "test").getString("key");
    String firstBatch = anchored(key, 2);
    JsonObject rotated = app.admin("POST", "/admin/v1/tenants/" + tenant
        + "/signing-keys/rotate", new JsonObject().put("environment", "test")).assertStatus(201)
        .json();
    String secondBatch = anchored(key, 1);
    JsonObject first = credential(key, firstBatch);
    JsonObject second = credential(key, secondBatch);
    String firstKey = app.queryText("SELECT signing_key_id FROM credentials WHERE id = ?",
        first.getString("id"));
    assertThat(app.queryText("SELECT signing_key_id FROM credentials WHERE id = ?",
        second.getString("id"))).isEqualTo(rotated.getString("id")).isNotEqualTo(firstKey);
    assertThat(app.queryText("SELECT status FROM signing_keys WHERE id = ?", firstKey))
        .isEqualTo("rotated");
    for (JsonObject credential : List.of(first, second)) {
      assertThat(verify(credential).getBoolean("verified")).isTrue();
      assertThat(new NodeVerifier().verify(credential.getJsonObject("credential"), null)
          .getBoolean("verified")).isTrue();
    }

    JsonObject retired = app.admin("POST", "/admin/v1/tenants/" + tenant + "/signing-keys/"
        + firstKey + "/retire", null).assertStatus(200).json();
    assertThat(retired.getString("status")).isEqualTo("retired");
    assertThat(retired.getInteger("revoked_credentials")).isEqualTo(2);
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE batch_id = ? "
        + "AND status = 'revoked'", firstBatch)).isEqualTo(2);
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE batch_id = ? "
        + "AND status = 'active'", secondBatch)).isEqualTo(1);
    JsonObject firstReport = verify(credential(key, firstBatch));
    assertThat(firstReport.getBoolean("verified")).isFalse();
    assertThat(firstReport.getJsonObject("checks").getJsonObject("status").getString("reason"))
        .startsWith("revoked");
    assertThat(verify(credential(key, secondBatch)).getBoolean("verified")).isTrue();
    // Again: nothing more to revoke.
    assertThat(app.admin("POST", "/admin/v1/tenants/" + tenant + "/signing-keys/" + firstKey
        + "/retire", null).assertStatus(200).json().getInteger("revoked_credentials")).isZero();
  }

  @Test
  @DisplayName("rotate and retire refuse a bad environment, another tenant's key and unknown tenants")
  void refusals() {
    String tenant = app.tenant("industry");
    String path = "/admin/v1/tenants/" + tenant + "/signing-keys/";
    app.admin("POST", path + "rotate", new JsonObject()).assertError(400, "missing_required_field");
    app.admin("POST", path + "rotate", new JsonObject().put("environment", "prod"))
        .assertError(400, "invalid_field_format");
    app.admin("POST", "/admin/v1/tenants/ten_nobody/signing-keys/rotate",
        new JsonObject().put("environment", "test")).assertError(404, "tenant_not_found");
    String other = app.tenant("industry");
    String foreign = app.gateway().services().tenantKeys().active(other, "test").await().id();
    app.admin("POST", path + foreign + "/retire", null).assertError(404, "route_not_found");
    assertThat(app.queryText("SELECT status FROM signing_keys WHERE id = ?", foreign))
        .isEqualTo("active");
    app.admin("POST", path + "sk_unknown/retire", null).assertError(404, "route_not_found");
  }

  private static String anchored(String key, int count) {
    String batchId = app.post("/v1/batches", key, Batches.of(count).encode()).assertStatus(202)
        .json().getString("id");
    Batches.awaitStatus(app, key, batchId, "anchored");
    return batchId;
  }

  private static JsonObject credential(String key, String batchId) {
    String id = Batches.awaitCredential(app, key, batchId).getString("id");
    return app.get("/v1/credentials/" + id, key).assertStatus(200).json();
  }

  private static JsonObject verify(JsonObject credential) {
    return app.post("/v1/verify", app.newTestKey("starter"), new JsonObject()
        .put("credential", credential.getJsonObject("credential"))
        .put("anchor", credential.getJsonObject("anchor")).encode()).assertStatus(200).json();
  }
}
