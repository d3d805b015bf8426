package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.DidKeySigner;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Issued through the VC API, verified by our /credentials/verify and /v1/verify (anchor included) and by Digital Bazaar's and the DCC's verifiers")
class VcApiRoundTripTest {
  private static final String OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
  private static final String SCHEMA =
      "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
  private static TestGateway app;
  @TenantKey private static String key;

  /** The location of the last credential issued, /v1/credentials/{id}. */
  private static String location;

  private static JsonObject issue(JsonObject credential) {
    Reply reply = app.post("/credentials/issue", key, new JsonObject().put("credential", credential)
        .put("options", new JsonObject().put("credentialStatus", new JsonObject()
            .put("type", "BitstringStatusListEntry"))).encode()).assertStatus(201);
    location = reply.header("Location");
    return reply.json().getJsonObject("verifiableCredential");
  }

  /** The signed status list credential the entry points at, from the public route. */
  private static JsonObject statusList(JsonObject vc) {
    String url = vc.getJsonObject("credentialStatus").getString("statusListCredential");
    return app.send("GET", url.substring(url.indexOf("/status/")), null).assertStatus(200).json();
  }

  @Test
  @DisplayName("a VC 2.0 credential with a did:key subject: anchored, verified by all four, revoked seen by Digital Bazaar")
  void genericCredential() throws Exception {
    JsonObject vc = issue(new JsonObject()
        .put("@context", new JsonArray().add(DidKeySigner.VC_V2).add(DidKeySigner.EXAMPLES_V2))
        .put("id", "urn:uuid:" + UUID.randomUUID())
        .put("type", new JsonArray().add("VerifiableCredential").add("AlumniCredential"))
        .put("validFrom", "2024-01-01T00:00:00Z")
        .put("credentialSubject", new JsonObject().put("id", new DidKeySigner().did())
            .put("alumniOf", "The School of Examples")));

    JsonObject ours = app.post("/credentials/verify", key, new JsonObject()
        .put("verifiableCredential", vc).encode()).assertStatus(200).json();
    assertThat(ours.getJsonArray("checks")).containsExactly("dataModel", "proof", "status",
        "expiry");

    String issued = location;
    Batches.awaitStatus(app, key, app.get(issued, key).assertStatus(200).json()
        .getString("batch_id"), "anchored");
    JsonObject anchored = app.get(issued, key).assertStatus(200).json();
    assertThat(anchored.getJsonObject("credential")).isEqualTo(vc);
    JsonObject report = app.post("/v1/verify", key, new JsonObject().put("credential", vc)
        .put("anchor", anchored.getJsonObject("anchor")).encode()).assertStatus(200).json();
    assertThat(report.getBoolean("verified")).as(report.encode()).isTrue();
    for (String check : new String[] {"proof", "status", "anchor", "expiry"}) {
      assertThat(report.getJsonObject("checks").getJsonObject(check).getString("status"))
          .as(check + " in " + report.encode()).isEqualTo("passed");
    }

    NodeVerifier node = new NodeVerifier();
    JsonObject digitalBazaar = node.verify(vc, statusList(vc));
    assertThat(digitalBazaar.getBoolean("verified")).as(digitalBazaar.encode()).isTrue();
    assertThat(digitalBazaar.getBoolean("revoked")).isFalse();
    JsonObject tampered = vc.copy();
    tampered.getJsonObject("credentialSubject").put("alumniOf", "Another School");
    assertThat(node.verify(tampered, statusList(vc)).getBoolean("verified")).isFalse();

    app.post(issued + "/revoke", key, "{}").assertStatus(200);
    JsonObject revoked = node.verify(vc, statusList(vc));
    assertThat(revoked.getBoolean("revoked")).as(revoked.encode()).isTrue();
  }

  @Test
  @DisplayName("an Open Badges 3.0 credential sent through the VC API: the learner's wallet verifier accepts it, 1EdTech schema valid")
  void openBadgeInTheWallet() throws Exception {
    JsonObject probe = app.post("/credentials/issue", key, new JsonObject().put("credential",
        new JsonObject().put("@context", new JsonArray().add(DidKeySigner.VC_V2))
            .put("type", new JsonArray().add("VerifiableCredential"))
            .put("credentialSubject", new JsonObject().put("name", "probe"))).encode())
        .assertStatus(201).json().getJsonObject("verifiableCredential");
    String did = probe.getString("issuer");
    JsonObject badge = issue(new JsonObject()
        .put("@context", new JsonArray().add(DidKeySigner.VC_V2).add(OB_V3))
        .put("id", "urn:uuid:" + UUID.randomUUID())
        .put("type", new JsonArray().add("VerifiableCredential").add("OpenBadgeCredential"))
        .put("issuer", new JsonObject().put("id", did).put("type", new JsonArray().add("Profile"))
            .put("name", "Example University"))
        .put("validFrom", "2024-01-01T00:00:00Z")
        .put("name", "Welding Level 1")
        .put("credentialSubject", new JsonObject().put("id", new DidKeySigner().did())
            .put("type", new JsonArray().add("AchievementSubject"))
            .put("achievement", new JsonObject()
                .put("id", "https://example.edu/achievements/welding-1")
                .put("type", new JsonArray().add("Achievement"))
                .put("name", "Welding Level 1")
                .put("description", "Safe MIG welding of mild steel.")
                .put("criteria", new JsonObject().put("narrative", "Passed the practical exam.")))));

    JsonObject digitalBazaar = new NodeVerifier().verify(badge, statusList(badge));
    assertThat(digitalBazaar.getBoolean("verified")).as(digitalBazaar.encode()).isTrue();
    JsonObject out = new NodeVerifier().verifyAsWallet(Map.of("badge", badge), app,
        new JsonObject(), new JsonArray());
    JsonObject wallet = out.getJsonObject("results").getJsonObject("badge");
    assertThat(wallet.getBoolean("verified")).as(out.encode()).isTrue();
    assertThat(wallet.getJsonArray("errors")).as(out.encode()).isEmpty();
    assertThat(wallet.getBoolean("revoked")).as(out.encode()).isFalse();
    assertThat(wallet.getJsonArray("schema")).as(out.encode()).containsExactly(new JsonObject()
        .put("schema", SCHEMA).put("valid", true).put("errors", new JsonArray()));
  }
}
