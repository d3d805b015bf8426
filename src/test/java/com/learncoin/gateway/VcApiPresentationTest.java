package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.DidKeySigner;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("POST /presentations/verify (W3C VC API): signed (authentication, challenge, domain) and unsigned presentations and every credential inside")
class VcApiPresentationTest {
  private static final String DOMAIN = "verifier.example";
  private static TestGateway app;
  @TenantKey private static String key;
  private static final DidKeySigner ISSUER = new DidKeySigner();
  private static final DidKeySigner HOLDER = new DidKeySigner();
  /** Our OB 3.0 credential and a did:key issuer's VC 2.0 credential. */
  private static JsonObject ours;
  private static JsonObject theirs;

  @BeforeAll
  static void issue() {
    String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202).json()
        .getString("id");
    ours = Batches.awaitCredential(app, key, batchId).getJsonObject("credential");
    theirs = ISSUER.sign(ISSUER.credential());
  }

  private static JsonObject presentation(JsonObject... credentials) {
    JsonArray all = new JsonArray();
    for (JsonObject credential : credentials) {
      all.add(credential);
    }
    return new JsonObject()
        .put("@context", new JsonArray().add(DidKeySigner.VC_V2))
        .put("id", "urn:uuid:" + UUID.randomUUID())
        .put("type", new JsonArray().add("VerifiablePresentation"))
        .put("holder", HOLDER.did())
        .put("verifiableCredential", all);
  }

  private static Reply verify(JsonObject vp, String challenge, String domain) {
    JsonObject options = new JsonObject();
    if (challenge != null) {
      options.put("challenge", challenge);
    }
    if (domain != null) {
      options.put("domain", domain);
    }
    return app.post("/presentations/verify", key, new JsonObject()
        .put("verifiablePresentation", vp).put("options", options).encode());
  }

  private static JsonObject notVerified(Reply reply, String problemTitle) {
    JsonObject result = reply.assertStatus(400).json();
    assertThat(result.getBoolean("verified")).as(result.encode()).isFalse();
    assertThat(result.getJsonArray("problemDetails").stream()
        .map(p -> ((JsonObject) p).getString("title"))).as(result.encode()).contains(problemTitle);
    assertThat(result.getJsonObject("error").getString("code")).isEqualTo("invalid_field_format");
    assertThat(result.getJsonObject("error").getString("message"))
        .startsWith("verifiablePresentation did not verify: ");
    return result;
  }

  @Test
  @DisplayName("a holder-signed presentation with the verifier's challenge and domain verifies with both credentials")
  void signed() {
    String challenge = UUID.randomUUID().toString();
    JsonObject vp = HOLDER.signPresentation(presentation(ours, theirs), challenge, DOMAIN);
    JsonObject result = verify(vp, challenge, DOMAIN).assertStatus(200).json();
    assertThat(result.getBoolean("verified")).isTrue();
    assertThat(result.getJsonArray("checks")).containsExactly("dataModel", "proof");
    assertThat(result.getJsonArray("warnings")).isEmpty();
    assertThat(result.getJsonObject("presentationResult").getBoolean("verified")).isTrue();
    JsonArray credentials = result.getJsonArray("credentialResults");
    assertThat(credentials).hasSize(2);
    assertThat(credentials.getJsonObject(0).getJsonArray("checks"))
        .containsExactly("dataModel", "proof", "status", "expiry");
    assertThat(credentials.getJsonObject(1).getBoolean("verified")).isTrue();
  }

  @Test
  @DisplayName("an unsigned presentation verifies on its credentials alone, with a warning")
  void unsigned() {
    JsonObject vp = presentation(ours, theirs);
    vp.remove("holder");
    JsonObject result = verify(vp, null, null).assertStatus(200).json();
    assertThat(result.getJsonArray("checks")).containsExactly("dataModel");
    assertThat(result.getJsonArray("warnings").getString(0))
        .startsWith("proof not checked: the presentation is not signed");
  }

  @Test
  @DisplayName("another challenge or domain is INVALID_CHALLENGE_ERROR / INVALID_DOMAIN_ERROR; none given is a warning")
  void challengeAndDomain() {
    String challenge = UUID.randomUUID().toString();
    JsonObject vp = HOLDER.signPresentation(presentation(theirs), challenge, DOMAIN);
    notVerified(verify(vp, "another-challenge", DOMAIN), "INVALID_CHALLENGE_ERROR");
    JsonObject domain = notVerified(verify(vp, challenge, "elsewhere.example"),
        "INVALID_DOMAIN_ERROR");
    assertThat(domain.getJsonArray("problemDetails").getJsonObject(0).getString("type"))
        .isEqualTo("https://w3id.org/security#INVALID_DOMAIN_ERROR");
    JsonObject replayable = verify(vp, null, null).assertStatus(200).json();
    assertThat(replayable.getJsonArray("warnings").getString(0))
        .contains("no options.challenge was given");
  }

  @Test
  @DisplayName("a proof by another key than the holder's, or with purpose assertionMethod, or a changed presentation fails")
  void wrongProofs() {
    String challenge = UUID.randomUUID().toString();
    JsonObject byOther = new DidKeySigner().signPresentation(presentation(theirs), challenge, DOMAIN);
    assertThat(notVerified(verify(byOther, challenge, DOMAIN), "PROOF_VERIFICATION_ERROR")
        .getJsonArray("errors").getString(0)).contains("does not belong to the holder");

    JsonObject asAssertion = HOLDER.addProof(presentation(theirs),
        new JsonObject().put("challenge", challenge).put("domain", DOMAIN));
    assertThat(notVerified(verify(asAssertion, challenge, DOMAIN), "PROOF_VERIFICATION_ERROR")
        .getJsonArray("errors").getString(0)).contains("proofPurpose must be authentication");

    JsonObject changed = HOLDER.signPresentation(presentation(theirs), challenge, DOMAIN);
    changed.put("holder", HOLDER.did()).getJsonArray("verifiableCredential").add(ours);
    notVerified(verify(changed, challenge, DOMAIN), "PROOF_VERIFICATION_ERROR");
  }

  @Test
  @DisplayName("a tampered credential inside a validly signed presentation fails, named by its index")
  void tamperedCredential() {
    JsonObject tampered = theirs.copy();
    tampered.getJsonObject("credentialSubject").put("alumniOf", "Another School");
    String challenge = UUID.randomUUID().toString();
    JsonObject vp = HOLDER.signPresentation(presentation(ours, tampered), challenge, DOMAIN);
    JsonObject result = notVerified(verify(vp, challenge, DOMAIN), "PROOF_VERIFICATION_ERROR");
    assertThat(result.getJsonObject("presentationResult").getBoolean("verified")).isTrue();
    assertThat(result.getJsonArray("errors").getString(0)).startsWith("verifiableCredential[1].proof: ");
    assertThat(result.getJsonArray("credentialResults").getJsonObject(0).getBoolean("verified"))
        .isTrue();
    assertThat(result.getJsonArray("credentialResults").getJsonObject(1).getBoolean("verified"))
        .isFalse();
  }

  @Test
  @DisplayName("a VC 1.1 presentation of a VC 1.1 credential, signed by its holder, verifies")
  void vc11() {
    JsonArray context = new JsonArray().add(DidKeySigner.VC_V1).add(DidKeySigner.DATA_INTEGRITY_V2);
    JsonObject v1 = ISSUER.sign(new JsonObject()
        .put("@context", context.copy().add(DidKeySigner.EXAMPLES_V2))
        .put("type", new JsonArray().add("VerifiableCredential"))
        .put("issuer", ISSUER.did())
        .put("issuanceDate", "2024-01-01T00:00:00Z")
        .put("credentialSubject", new JsonObject().put("id", HOLDER.did())
            .put("alumniOf", "The School of Examples")));
    String challenge = UUID.randomUUID().toString();
    JsonObject vp = HOLDER.signPresentation(new JsonObject().put("@context", context)
        .put("type", "VerifiablePresentation").put("holder", HOLDER.did())
        .put("verifiableCredential", v1), challenge, DOMAIN);
    JsonObject result = verify(vp, challenge, DOMAIN).assertStatus(200).json();
    assertThat(result.getJsonArray("credentialResults")).hasSize(1);
  }

  @Test
  @DisplayName("malformed presentations: our envelope for the body's shape, MALFORMED_VALUE_ERROR for the data model")
  void malformed() {
    app.post("/presentations/verify", key, "{}").assertError(400, "missing_required_field");
    verify(presentation().put("verifiableCredential", new JsonArray().add("ey...")), null, null)
        .assertError(400, "invalid_field_format");
    JsonArray many = new JsonArray();
    for (int i = 0; i < 17; i++) {
      many.add(theirs);
    }
    assertThat(verify(presentation().put("verifiableCredential", many), null, null)
        .assertError(400, "invalid_field_format").getString("message"))
        .contains("at most 16 are verified");
    JsonObject heavy = theirs.copy();
    for (int i = 0; i < 5; i++) {
      heavy = ISSUER.sign(heavy);
    }
    JsonArray four = new JsonArray().add(heavy).add(heavy).add(heavy).add(heavy);
    assertThat(verify(presentation().put("verifiableCredential", four), null, null)
        .assertError(400, "invalid_field_format").getString("message"))
        .contains("holds 24 proofs");
    app.post("/presentations/verify", key, new JsonObject().put("verifiablePresentation",
        presentation(theirs)).put("options", new JsonObject().put("challenge", 7)).encode())
        .assertError(400, "invalid_field_format");
    JsonObject untyped = presentation(theirs).put("type", new JsonArray().add("Presentation"));
    untyped.remove("holder");
    assertThat(notVerified(verify(untyped, null, null), "MALFORMED_VALUE_ERROR")
        .getJsonArray("errors").getString(0)).contains("type must include VerifiablePresentation");
  }
}
