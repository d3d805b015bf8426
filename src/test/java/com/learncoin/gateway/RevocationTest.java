package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.credential.StatusListCredentials;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("POST /v1/credentials/{id}/revoke sets the status bit, once, for the owner only")
class RevocationTest {
  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;

  @Test
  @DisplayName("revoked: 200, the status list bit is set, and Digital Bazaar's check says revoked")
  void revoke() throws Exception {
    String batchId = app.post("/v1/batches", key, Batches.of(2).encode()).json().getString("id");
    Batches.awaitStatus(app, key, batchId, "anchored");
    JsonObject credential = Batches.awaitCredential(app, key, batchId);
    JsonObject vc = credential.getJsonObject("credential");
    JsonObject status = vc.getJsonObject("credentialStatus");
    String listPath = status.getString("statusListCredential")
        .substring(status.getString("statusListCredential").indexOf("/status/"));
    int index = Integer.parseInt(status.getString("statusListIndex"));
    JsonObject before = app.send("GET", listPath, null).assertStatus(200).json();
    assertThat(new NodeVerifier().verify(vc, before).getBoolean("revoked")).isFalse();

    JsonObject revoked = app.post("/v1/credentials/" + credential.getString("id") + "/revoke", key,
        "{\"reason\": \"issued to the wrong learner\"}").assertStatus(200).json();
    assertThat(revoked.getString("status")).isEqualTo("revoked");
    assertThat(revoked.getString("revoked_at")).isNotNull();

    JsonObject after = app.send("GET", listPath, null).assertStatus(200).json();
    assertThat(StatusListCredentials.decode(after.getJsonObject("credentialSubject")
        .getString("encodedList")).get(index)).isTrue();
    JsonObject result = new NodeVerifier().verify(vc, after);
    assertThat(result.getBoolean("verified")).as(result.encode()).isTrue();
    assertThat(result.getBoolean("revoked")).isTrue();
  }

  @Test
  @DisplayName("revoking twice is 409 credential_already_revoked")
  void twice() {
    String id = firstCredential(app.post("/v1/batches", key, Batches.of(1).encode()));
    app.post("/v1/credentials/" + id + "/revoke", key, null).assertStatus(200);
    app.post("/v1/credentials/" + id + "/revoke", key, null)
        .assertError(409, "credential_already_revoked");
  }

  @Test
  @DisplayName("a pending credential can be revoked and stays revoked once its batch is anchored")
  void pending() {
    var posted = app.post("/v1/batches", key, Batches.of(1).encode());
    String id = firstCredential(posted);
    app.post("/v1/credentials/" + id + "/revoke", key, null).assertStatus(200);
    Batches.awaitStatus(app, key, posted.json().getString("id"), "anchored");
    assertThat(app.get("/v1/credentials/" + id, key).assertStatus(200).json().getString("status"))
        .isEqualTo("revoked");
  }

  @Test
  @DisplayName("another tenant's credential is 403 credential_not_owned and stays untouched")
  void notOwned() {
    String id = firstCredential(app.post("/v1/batches", key, Batches.of(1).encode()));
    app.post("/v1/credentials/" + id + "/revoke", app.newTestKey("industry"), null)
        .assertError(403, "credential_not_owned");
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE id = ? AND revoked_at IS NULL",
        id)).isOne();
    app.post("/v1/credentials/cred_unknown/revoke", key, null).assertError(404, "credential_not_found");
    app.post("/v1/credentials/" + id + "/revoke", app.key(tenant, "live").getString("key"), null)
        .assertError(404, "credential_not_found");
  }

  @Test
  @DisplayName("a reason that is not a short string is 400 invalid_field_format naming reason")
  void badReason() {
    String id = firstCredential(app.post("/v1/batches", key, Batches.of(1).encode()));
    assertThat(app.post("/v1/credentials/" + id + "/revoke", key, "{\"reason\": 42}")
        .assertError(400, "invalid_field_format").getString("message")).contains("reason");
  }

  private static String firstCredential(com.learncoin.gateway.support.Reply posted) {
    String batchId = posted.assertStatus(202).json().getString("id");
    return app.get("/v1/batches/" + batchId + "/credentials", key).assertStatus(200).json()
        .getJsonArray("data").getJsonObject(0).getString("id");
  }
}
