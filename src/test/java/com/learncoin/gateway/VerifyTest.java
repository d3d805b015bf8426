package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("POST /v1/verify checks proof, status, anchor (on chain) and expiry of a credential")
class VerifyTest {
  private static final String ZERO_HASH = "0x" + "00".repeat(32);

  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;
  /** {"id", "credential", "anchor", ...} of an anchored, unrevoked credential, as GET returns it. */
  private static JsonObject issued;

  @BeforeAll
  static void start() {
    issued = issueAnchored(Batches.of(2));
  }

  private static JsonObject issueAnchored(JsonObject batch) {
    return issueAnchored(key, batch);
  }

  private static JsonObject issueAnchored(String apiKey, JsonObject batch) {
    String batchId = app.post("/v1/batches", apiKey, batch.encode()).assertStatus(202).json()
        .getString("id");
    Batches.awaitStatus(app, apiKey, batchId, "anchored");
    String id = Batches.awaitCredential(app, apiKey, batchId).getString("id");
    JsonObject credential = app.get("/v1/credentials/" + id, apiKey).assertStatus(200).json();
    assertThat(credential.getJsonObject("anchor")).isNotNull();
    return credential;
  }

  private static JsonObject verify(JsonObject vc, JsonObject anchor) {
    JsonObject body = new JsonObject().put("credential", vc);
    if (anchor != null) {
      body.put("anchor", anchor);
    }
    JsonObject report = app.post("/v1/verify", key, body.encode()).assertStatus(200).json();
    assertThat(report.getString("object")).isEqualTo("verification");
    assertThat(report.getJsonObject("checks").fieldNames())
        .containsExactlyInAnyOrder("proof", "status", "anchor", "expiry");
    return report;
  }

  private static String status(JsonObject report, String check) {
    return report.getJsonObject("checks").getJsonObject(check).getString("status");
  }

  private static String reason(JsonObject report, String check) {
    return report.getJsonObject("checks").getJsonObject(check).getString("reason");
  }

  @Test
  @DisplayName("our credential with its receipt: verified, all four checks passed")
  void own() {
    JsonObject report = verify(issued.getJsonObject("credential"), issued.getJsonObject("anchor"));
    assertThat(report.getBoolean("verified")).as(report.encode()).isTrue();
    for (String check : new String[] {"proof", "status", "anchor", "expiry"}) {
      assertThat(status(report, check)).as(check + " in " + report.encode()).isEqualTo("passed");
      assertThat(reason(report, check)).isNotBlank();
    }
  }

  @Test
  @DisplayName("without a receipt the anchor check is skipped and the rest still verifies")
  void noReceipt() {
    JsonObject report = verify(issued.getJsonObject("credential"), null);
    assertThat(report.getBoolean("verified")).as(report.encode()).isTrue();
    assertThat(status(report, "anchor")).isEqualTo("skipped");
    assertThat(reason(report, "anchor")).contains("receipt");
    assertThat(status(report, "proof")).isEqualTo("passed");
  }

  @Test
  @DisplayName("a tampered subject fails the proof (and the anchor, its hash changed)")
  void tampered() {
    JsonObject vc = issued.getJsonObject("credential").copy();
    vc.getJsonObject("credentialSubject").put("name", "Mallory");
    JsonObject report = verify(vc, issued.getJsonObject("anchor"));
    assertThat(report.getBoolean("verified")).isFalse();
    assertThat(status(report, "proof")).as(report.encode()).isEqualTo("failed");
    assertThat(reason(report, "proof")).contains("signature does not match");
    assertThat(status(report, "anchor")).isEqualTo("failed");
    assertThat(status(report, "expiry")).isEqualTo("passed");
  }

  @Test
  @DisplayName("a did:web that is no tenant's issuer fails the proof as unknown did:web")
  void unknownDidWeb() {
    JsonObject vc = issued.getJsonObject("credential").copy();
    vc.getJsonObject("issuer").put("id", "did:web:example.com");
    DataIntegrityProofs.onlyProof(vc).put("verificationMethod", "did:web:example.com#key-1");
    JsonObject report = verify(vc, null);
    assertThat(status(report, "proof")).isEqualTo("failed");
    assertThat(reason(report, "proof")).contains("unknown did:web");
    assertThat(report.getBoolean("verified")).isFalse();
  }

  @Test
  @DisplayName("a did:web issuer verifies while it is its tenant's verified DID, not once it is unproven")
  void knownDidWeb() {
    String did = "did:web:verify-" + System.nanoTime() + ".example";
    String live = app.key(tenant, "live").getString("key");
    // As POST /v1/issuer/verify leaves it (IssuerIdentityTest proves it over https).
    app.execute("UPDATE tenants SET issuer_did = '" + did + "', issuer_did_status = 'active' "
        + "WHERE id = '" + tenant + "'");
    try {
      JsonObject credential = issueAnchored(live, Batches.of(1).put("issuer", did));
      JsonObject vc = credential.getJsonObject("credential");
      assertThat(DataIntegrityProofs.onlyProof(vc).getString("verificationMethod")).startsWith(did + "#");
      JsonObject verified = verify(vc, credential.getJsonObject("anchor"));
      assertThat(verified.getBoolean("verified")).as(verified.encode()).isTrue();
      assertThat(status(verified, "proof")).isEqualTo("passed");

      app.execute("UPDATE tenants SET issuer_did_status = 'pending_verification' WHERE id = '"
          + tenant + "'");
      JsonObject unproven = verify(vc, credential.getJsonObject("anchor"));
      assertThat(status(unproven, "proof")).isEqualTo("failed");
      assertThat(reason(unproven, "proof")).contains("unknown did:web");
    } finally {
      app.execute("UPDATE tenants SET issuer_did = NULL, issuer_did_status = NULL WHERE id = '"
          + tenant + "'");
    }
  }

  @Test
  @DisplayName("a revoked credential fails the status check; its proof and anchor still pass")
  void revoked() {
    JsonObject credential = issueAnchored(Batches.of(1));
    app.post("/v1/credentials/" + credential.getString("id") + "/revoke", key, null)
        .assertStatus(200);
    JsonObject report = verify(credential.getJsonObject("credential"),
        credential.getJsonObject("anchor"));
    assertThat(report.getBoolean("verified")).isFalse();
    assertThat(status(report, "status")).as(report.encode()).isEqualTo("failed");
    assertThat(reason(report, "status")).contains("revoked");
    assertThat(status(report, "proof")).isEqualTo("passed");
    assertThat(status(report, "anchor")).isEqualTo("passed");
  }

  @Test
  @DisplayName("a status list that is not ours is skipped")
  void foreignStatusList() {
    JsonObject vc = issued.getJsonObject("credential").copy();
    vc.getJsonObject("credentialStatus")
        .put("statusListCredential", "https://status.example.org/lists/1");
    JsonObject report = verify(vc, null);
    assertThat(status(report, "status")).isEqualTo("skipped");
    assertThat(reason(report, "status")).contains("not our status list");
  }

  @Test
  @DisplayName("a wrong path or a wrong leaf in the receipt fails the anchor check")
  void wrongReceipt() {
    JsonObject vc = issued.getJsonObject("credential");
    JsonObject wrongPath = issued.getJsonObject("anchor").copy()
        .put("path", new JsonArray().add(new JsonObject().put("right", ZERO_HASH)));
    JsonObject report = verify(vc, wrongPath);
    assertThat(report.getBoolean("verified")).isFalse();
    assertThat(status(report, "anchor")).as(report.encode()).isEqualTo("failed");
    assertThat(reason(report, "anchor")).contains("path does not lead");
    assertThat(status(report, "proof")).isEqualTo("passed");

    JsonObject wrongLeaf = issued.getJsonObject("anchor").copy().put("leaf", ZERO_HASH);
    report = verify(vc, wrongLeaf);
    assertThat(status(report, "anchor")).isEqualTo("failed");
    assertThat(reason(report, "anchor")).contains("leaf");

    JsonObject unknownTx = issued.getJsonObject("anchor").copy().put("tx_hash", "0x" + "ab".repeat(32));
    report = verify(vc, unknownTx);
    assertThat(status(report, "anchor")).isEqualTo("failed");
    assertThat(reason(report, "anchor")).contains("not on chain");

    JsonObject wrongRoot = issued.getJsonObject("anchor").copy().put("merkle_root", ZERO_HASH);
    report = verify(vc, wrongRoot);
    assertThat(status(report, "anchor")).isEqualTo("failed");
    assertThat(reason(report, "anchor")).contains("merkle_root");
  }

  @Test
  @DisplayName("a credential whose validUntil is past fails the expiry check only")
  void expired() {
    JsonObject input = Batches.credential()
        .put("issuanceDate", "2020-01-01T00:00:00Z")
        .put("expirationDate", "2021-01-01T00:00:00Z");
    JsonObject credential = issueAnchored(Batches.with(input));
    JsonObject report = verify(credential.getJsonObject("credential"),
        credential.getJsonObject("anchor"));
    assertThat(report.getBoolean("verified")).isFalse();
    assertThat(status(report, "expiry")).as(report.encode()).isEqualTo("failed");
    assertThat(reason(report, "expiry")).contains("expired");
    assertThat(status(report, "proof")).isEqualTo("passed");
    assertThat(status(report, "status")).isEqualTo("passed");
    assertThat(status(report, "anchor")).isEqualTo("passed");
  }

  @Test
  @DisplayName("a body without credential is 400 missing_required_field naming credential")
  void missingCredential() {
    assertThat(app.post("/v1/verify", key, "{}").assertError(400, "missing_required_field")
        .getString("message")).contains("credential");
    assertThat(app.post("/v1/verify", key, "{\"anchor\": null}")
        .assertError(400, "missing_required_field").getString("message")).contains("credential");
  }

  @Test
  @DisplayName("garbage and wrong types are 400s naming the field, never 5xx")
  void malformed() {
    app.post("/v1/verify", key, "not json at all").assertError(400, "invalid_json");
    app.post("/v1/verify", key, "[1, 2]").assertError(400, "invalid_json");
    assertThat(app.post("/v1/verify", key, "{\"credential\": \"abc\"}")
        .assertError(400, "invalid_field_format").getString("message")).contains("credential");
    JsonObject vc = issued.getJsonObject("credential");
    assertThat(app.post("/v1/verify", key, new JsonObject().put("credential", vc)
        .put("anchor", 7).encode()).assertError(400, "invalid_field_format").getString("message"))
        .contains("anchor");
    assertThat(app.post("/v1/verify", key, new JsonObject().put("credential", vc)
        .put("anchor", issued.getJsonObject("anchor").copy().put("tx_hash", "0x12")).encode())
        .assertError(400, "invalid_field_format").getString("message")).contains("anchor.tx_hash");
    assertThat(app.post("/v1/verify", key, new JsonObject().put("credential", vc)
        .put("anchor", issued.getJsonObject("anchor").copy().put("path", new JsonArray().add("x")))
        .encode()).assertError(400, "invalid_field_format").getString("message"))
        .contains("anchor.path[0]");
  }

  @Test
  @DisplayName("a credential of arbitrary junk is a 200 report of failures, not an error")
  void junkCredential() {
    JsonObject report = verify(new JsonObject().put("hello", "world")
        .put("validFrom", "yesterday").put("credentialStatus", 5), null);
    assertThat(report.getBoolean("verified")).isFalse();
    assertThat(status(report, "proof")).isEqualTo("failed");
    assertThat(status(report, "status")).isEqualTo("failed");
    assertThat(status(report, "expiry")).isEqualTo("failed");
    assertThat(status(report, "anchor")).isEqualTo("skipped");
  }
}
