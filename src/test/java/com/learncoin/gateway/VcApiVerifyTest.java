package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.DidKeySigner;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("POST /credentials/verify (W3C VC API): proof sets and chains, VC 1.1 and 2.0, did:key and our did:web, status, data model")
class VcApiVerifyTest {
  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;
  private static final DidKeySigner ISSUER = new DidKeySigner();
  /** A credential this gateway issued (OB 3.0, our status list), as GET /v1/credentials returns it. */
  private static JsonObject ours;

  @BeforeAll
  static void issue() {
    String batchId = app.post("/v1/batches", key, Batches.of(2).encode()).assertStatus(202).json()
        .getString("id");
    ours = Batches.awaitCredential(app, key, batchId);
  }

  private static Reply verify(JsonObject credential) {
    return send(new JsonObject().put("verifiableCredential", credential));
  }

  private static Reply send(JsonObject body) {
    return app.post("/credentials/verify", key, body.encode());
  }

  /** 200 and the VC API's verified result. */
  private static JsonObject verified(JsonObject credential) {
    Reply reply = verify(credential);
    JsonObject result = reply.assertStatus(200).json();
    assertThat(result.getBoolean("verified")).isTrue();
    assertThat(result.getJsonArray("errors")).isEmpty();
    assertThat(result.getJsonArray("problemDetails")).isEmpty();
    assertThat(result.containsKey("error")).isFalse();
    return result;
  }

  /** 400, verified false, the problem's type, and our envelope's error naming the field. */
  private static JsonObject notVerified(JsonObject credential, String problemTitle) {
    Reply reply = verify(credential);
    JsonObject result = reply.assertStatus(400).json();
    assertThat(result.getBoolean("verified")).as(result.encode()).isFalse();
    assertThat(result.getJsonArray("problemDetails").stream().map(p -> ((JsonObject) p)
        .getString("title"))).as(result.encode()).contains(problemTitle);
    JsonObject error = result.getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("invalid_field_format");
    assertThat(error.getString("message")).startsWith("verifiableCredential did not verify: ");
    assertThat(error.getString("request_id")).isEqualTo(reply.header("X-Request-Id"));
    return result;
  }

  @Test
  @DisplayName("a VC 2.0 credential of a did:key issuer verifies; no status is a warning, not an error")
  void didKeyCredential() {
    JsonObject result = verified(ISSUER.sign(ISSUER.credential()));
    assertThat(result.getJsonArray("checks")).containsExactly("dataModel", "proof", "expiry");
    assertThat(result.getJsonArray("warnings").getString(0)).startsWith("status not checked: ");
  }

  @Test
  @DisplayName("our own credential verifies with its status read from our list; revoked is a 400 naming it")
  void ourCredentialAndRevocation() {
    JsonObject result = verified(ours.getJsonObject("credential"));
    assertThat(result.getJsonArray("checks")).containsExactly("dataModel", "proof", "status",
        "expiry");
    String other = app.get("/v1/batches/" + ours.getString("batch_id") + "/credentials", key)
        .assertStatus(200).json().getJsonArray("data").getJsonObject(1).getString("id");
    JsonObject revoked = Eventually.await("the second credential signed", Duration.ofMinutes(1),
        () -> Optional.ofNullable(app.get("/v1/credentials/" + other, key).assertStatus(200)
            .json().getJsonObject("credential")));
    app.post("/v1/credentials/" + other + "/revoke", key, "{}").assertStatus(200);
    JsonObject failed = notVerified(revoked, "STATUS_VERIFICATION_ERROR");
    assertThat(failed.getJsonArray("errors").getString(0)).startsWith("status: revoked: bit ");
    assertThat(failed.getJsonArray("problemDetails").getJsonObject(0).getString("type"))
        .isEqualTo("https://www.w3.org/ns/credentials/status#STATUS_VERIFICATION_ERROR");
    assertThat(failed.getJsonArray("checks")).containsExactly("dataModel", "proof", "expiry");
  }

  @Test
  @DisplayName("a tampered credential is a 400 PROOF_VERIFICATION_ERROR")
  void tampered() {
    JsonObject vc = ISSUER.sign(ISSUER.credential());
    vc.getJsonObject("credentialSubject").put("alumniOf", "Another School");
    JsonObject result = notVerified(vc, "PROOF_VERIFICATION_ERROR");
    assertThat(result.getJsonArray("problemDetails").getJsonObject(0).getString("type"))
        .isEqualTo("https://w3id.org/security#PROOF_VERIFICATION_ERROR");
    assertThat(result.getJsonArray("errors").getString(0)).contains("signature does not match");
  }

  @Test
  @DisplayName("a proof set (two proofs of the issuer) verifies; a second proof by another key, or a bad one, fails")
  void proofSets() {
    JsonObject twice = ISSUER.sign(ISSUER.sign(ISSUER.credential()));
    assertThat(twice.getJsonArray("proof")).hasSize(2);
    verified(twice);

    JsonObject witnessed = new DidKeySigner().sign(ISSUER.sign(ISSUER.credential()));
    assertThat(notVerified(witnessed, "PROOF_VERIFICATION_ERROR").getJsonArray("errors")
        .getString(0)).contains("proof[1]: verificationMethod did:key:")
        .contains("does not belong to the issuer " + ISSUER.did());

    JsonObject broken = twice.copy();
    broken.getJsonArray("proof").getJsonObject(1).put("created", "2020-01-01T00:00:00Z");
    assertThat(notVerified(broken, "PROOF_VERIFICATION_ERROR").getJsonArray("errors")
        .getString(0)).startsWith("proof: proof[1]: signature does not match");
  }

  @Test
  @DisplayName("a previousProof chain verifies; altering the proof it chains to breaks both")
  void proofChains() {
    JsonObject first = ISSUER.addProof(ISSUER.credential(),
        new JsonObject().put("id", "urn:uuid:" + java.util.UUID.randomUUID()));
    String firstId = first.getJsonArray("proof").getJsonObject(0).getString("id");
    JsonObject chained = ISSUER.addProof(first, new JsonObject().put("previousProof", firstId));
    verified(chained);

    JsonObject altered = chained.copy();
    altered.getJsonArray("proof").getJsonObject(0).put("created", "2020-01-01T00:00:00Z");
    notVerified(altered, "PROOF_VERIFICATION_ERROR");

    JsonObject dangling = chained.copy();
    dangling.getJsonArray("proof").getJsonObject(1).put("previousProof", "urn:uuid:nowhere");
    assertThat(notVerified(dangling, "PROOF_VERIFICATION_ERROR").getJsonArray("errors")
        .getString(0)).contains("previousProof urn:uuid:nowhere names no other proof");
  }

  @Test
  @DisplayName("a VC 1.1 credential (issuanceDate, Data Integrity context) verifies")
  void vc11() {
    JsonObject v1 = new JsonObject()
        .put("@context", new JsonArray().add(DidKeySigner.VC_V1).add(DidKeySigner.DATA_INTEGRITY_V2)
            .add(DidKeySigner.EXAMPLES_V2))
        .put("id", "urn:uuid:" + java.util.UUID.randomUUID())
        .put("type", new JsonArray().add("VerifiableCredential").add("AlumniCredential"))
        .put("issuer", ISSUER.did())
        .put("issuanceDate", "2024-01-01T00:00:00Z")
        .put("expirationDate", "2099-01-01T00:00:00Z")
        .put("credentialSubject", new JsonObject().put("id", "did:example:alumna")
            .put("alumniOf", "The School of Examples"));
    JsonObject result = verified(ISSUER.sign(v1));
    assertThat(result.getJsonArray("checks")).contains("proof", "expiry");

    JsonObject expired = v1.copy().put("expirationDate", "2024-06-01T00:00:00Z");
    notVerified(ISSUER.sign(expired), "RANGE_ERROR");
  }

  @Test
  @DisplayName("a did:web issuer verifies while it is one of our tenants' verified DIDs")
  void ourDidWeb() {
    String did = "did:web:vcapi-" + System.nanoTime() + ".example";
    String live = app.key(tenant, "live").getString("key");
    app.execute("UPDATE tenants SET issuer_did = '" + did + "', issuer_did_status = 'active' "
        + "WHERE id = '" + tenant + "'");
    try {
      String batchId = app.post("/v1/batches", live, Batches.of(1).put("issuer", did).encode())
          .assertStatus(202).json().getString("id");
      JsonObject vc = Batches.awaitCredential(app, live, batchId).getJsonObject("credential");
      assertThat(vc.getJsonObject("issuer").getString("id")).isEqualTo(did);
      verified(vc);
      JsonObject elsewhere = ISSUER.credential().put("issuer", "did:web:elsewhere.example");
      assertThat(notVerified(ISSUER.sign(elsewhere), "PROOF_VERIFICATION_ERROR")
          .getJsonArray("errors").getString(0)).contains("does not belong to the issuer");
    } finally {
      app.execute("UPDATE tenants SET issuer_did = NULL, issuer_did_status = NULL WHERE id = '"
          + tenant + "'");
    }
  }

  @Test
  @DisplayName("signed but against the VC Data Model (no claims, validUntil before validFrom, no VerifiableCredential type): 400 MALFORMED_VALUE_ERROR / RANGE")
  void dataModel() {
    JsonObject noClaims = ISSUER.credential();
    noClaims.getJsonObject("credentialSubject").remove("alumniOf");
    assertThat(notVerified(ISSUER.sign(noClaims), "MALFORMED_VALUE_ERROR")
        .getJsonArray("errors").getString(0)).contains("credentialSubject must make at least one claim");

    JsonObject backwards = ISSUER.credential().put("validUntil", "2023-01-01T00:00:00Z");
    assertThat(notVerified(ISSUER.sign(backwards), "MALFORMED_VALUE_ERROR")
        .getJsonArray("errors").getString(0)).contains("validUntil must not be before validFrom");

    JsonObject untyped = ISSUER.credential().put("type", new JsonArray().add("AlumniCredential"));
    assertThat(notVerified(ISSUER.sign(untyped), "MALFORMED_VALUE_ERROR")
        .getJsonArray("errors").getString(0)).contains("type must include VerifiableCredential");
  }

  @Test
  @DisplayName("options.checks lists which passed checks to name; an unknown check or a malformed body is our envelope")
  void optionsAndMalformedBodies() {
    JsonObject body = new JsonObject().put("verifiableCredential", ISSUER.sign(ISSUER.credential()))
        .put("options", new JsonObject().put("checks", new JsonArray().add("proof")));
    assertThat(send(body).assertStatus(200).json().getJsonArray("checks"))
        .containsExactly("proof");
    body.getJsonObject("options").put("checks", new JsonArray().add("vibes"));
    assertThat(send(body).assertError(400, "invalid_field_format").getString("message"))
        .contains("options.checks[0]");
    assertThat(send(new JsonObject()).assertError(400, "missing_required_field")
        .getString("message")).contains("verifiableCredential");
    send(new JsonObject().put("verifiableCredential", "eyJhbGciOi..."))
        .assertError(400, "invalid_field_format");
    app.post("/credentials/verify", key, "{\"verifiableCredential\":").assertError(400,
        "invalid_json");
  }

  @Test
  @DisplayName("the /v1 pipeline: no key is 401, answers carry request id and rate-limit headers, the audit log has them")
  void pipeline() {
    app.send("POST", "/credentials/verify", "{}".getBytes(), "Content-Type", "application/json")
        .assertError(401, "api_key_missing");
    Reply reply = verify(ISSUER.sign(ISSUER.credential())).assertStatus(200);
    assertThat(reply.header("RateLimit-Policy")).startsWith("\"tenant\";q=");
    assertThat(reply.header("RateLimit")).startsWith("\"tenant\";r=");
    String requestId = reply.header("X-Request-Id");
    Reply failed = send(new JsonObject());
    Eventually.await("both audit records", Duration.ofSeconds(20), () -> Optional.of(
        app.queryLong("SELECT count(*) FROM audit_log WHERE request_id IN (?, ?)", requestId,
            failed.header("X-Request-Id"))).filter(n -> n == 2));
    assertThat(app.queryText("SELECT error_code FROM audit_log WHERE request_id = ?",
        failed.header("X-Request-Id"))).isEqualTo("missing_required_field");
    assertThat(app.queryText("SELECT tenant_id FROM audit_log WHERE request_id = ?", requestId))
        .isEqualTo(tenant);
  }
}
