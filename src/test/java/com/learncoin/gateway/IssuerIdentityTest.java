package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.identity.TenantKey;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.DidWebServer;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The forgery of the outside review, step by step: tenant B claims, names and signs under tenant
 * A's did:web. Each step must fail; a did:web becomes usable only once the document at its URL
 * (served here by a loopback https site with its own certificate) lists the tenant's own key.
 */
@DisplayName("Issuer identity: a key per tenant, a did:web only for the tenant that proves it")
class IssuerIdentityTest {
  private static Vertx vertx;
  private static DidWebServer site;
  private static TestGateway app;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    site = new DidWebServer(vertx);
    app = TestGateway.start(vertx, Map.of("LEARNCOIN_DID_WEB_ALLOW_PRIVATE_TARGETS", "true",
        "LEARNCOIN_DID_WEB_TRUST_PEM", site.certificatePath()));
  }

  @AfterAll
  static void stop() {
    app.close();
    site.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("the attack: a second claim is 409, an unproven or foreign issuer is 403, nothing is stored")
  void forgeryFailsAtEveryStep() {
    String victim = site.did("victim-university");
    String tenantA = app.tenant("institution");
    String liveA = app.key(tenantA, "live").getString("key");
    String tenantB = app.tenant("institution");
    String liveB = app.key(tenantB, "live").getString("key");
    String testB = app.key(tenantB, "test").getString("key");

    JsonObject claimed = put(liveA, victim).assertStatus(200).json();
    assertThat(claimed.getString("status")).isEqualTo("pending_verification");
    assertThat(put(liveB, victim).assertError(409, "issuer_did_taken").getString("message"))
        .contains(victim);
    assertThat(app.queryText("SELECT issuer_did FROM tenants WHERE id = ?", tenantB)).isNull();

    long before = app.queryLong("SELECT count(*) FROM batches");
    JsonObject forged = Batches.of(1).put("issuer", victim);
    assertThat(app.post("/v1/batches", liveB, forged.encode())
        .assertError(403, "issuer_not_verified").getString("message")).contains(victim);
    // Not even the claimant may sign under it before the document proves it.
    app.post("/v1/batches", liveA, forged.encode()).assertError(403, "issuer_not_verified");
    app.post("/v1/batches", testB, forged.encode()).assertError(403, "environment_mismatch");
    assertThat(app.queryLong("SELECT count(*) FROM batches")).isEqualTo(before);

    // And a live batch without an issuer, before the proof, is the tenant's own did:key.
    String batchId = app.post("/v1/batches", liveA, Batches.of(1).encode()).assertStatus(202).json()
        .getString("id");
    JsonObject vc = Batches.awaitCredential(app, liveA, batchId).getJsonObject("credential");
    assertThat(vc.getJsonObject("issuer").getString("id"))
        .isEqualTo(activeKey(tenantA, "live").didKey());
  }

  @Test
  @DisplayName("a did:web is active only after its did.json lists the tenant's key; then live batches name it")
  void didWebProven() throws Exception {
    String did = site.did("issuers", "school-" + System.nanoTime());
    String tenant = app.tenant("institution");
    String live = app.key(tenant, "live").getString("key");
    JsonObject answer = put(live, did).assertStatus(200).json();
    JsonObject document = answer.getJsonObject("did_document");
    String multibase = activeKey(tenant, "live").publicKeyMultibase();
    assertThat(document.getJsonArray("verificationMethod").getJsonObject(0)
        .getString("publicKeyMultibase")).isEqualTo(multibase);
    assertThat(answer.getString("document_url")).endsWith("/issuers/" + did.substring(
        did.lastIndexOf(':') + 1) + "/did.json");

    JsonObject unpublished = verifyDid(live).assertStatus(200).json();
    assertThat(unpublished.getString("status")).isEqualTo("pending_verification");
    assertThat(unpublished.getString("verification_error")).contains("HTTP 404");

    // Another tenant's key in the document does not prove this tenant's claim.
    String other = app.tenant("institution");
    site.publish(did, DidKey.didDocument(did, activeKey(other, "live").publicKey()));
    JsonObject foreign = verifyDid(live).assertStatus(200).json();
    assertThat(foreign.getString("status")).isEqualTo("pending_verification");
    assertThat(foreign.getString("verification_error")).contains(multibase);
    site.publishRaw(did, "not json");
    assertThat(verifyDid(live).json().getString("verification_error")).contains("not a JSON object");

    site.publish(did, document);
    JsonObject verified = verifyDid(live).assertStatus(200).json();
    assertThat(verified.getString("status")).isEqualTo("active");
    assertThat(verified.getString("verification_error")).isNull();
    assertThat(app.get("/v1/issuer", live).assertStatus(200).json().getString("status"))
        .isEqualTo("active");

    String batchId = app.post("/v1/batches", live, Batches.of(1).encode()).assertStatus(202).json()
        .getString("id");
    Batches.awaitStatus(app, live, batchId, "anchored");
    JsonObject credential = Batches.awaitCredential(app, live, batchId);
    JsonObject vc = credential.getJsonObject("credential");
    assertThat(vc.getJsonObject("issuer").getString("id")).isEqualTo(did);
    assertThat(DataIntegrityProofs.onlyProof(vc).getString("verificationMethod"))
        .isEqualTo(did + "#" + multibase);
    assertThat(verify(vc, credential.getJsonObject("anchor")).getBoolean("verified")).isTrue();
    // Its status list names the did:web too, signed by the same key (verifiers match the two).
    String listUrl = vc.getJsonObject("credentialStatus").getString("statusListCredential");
    JsonObject list = app.send("GET", listUrl.substring(listUrl.indexOf("/status/")), null)
        .assertStatus(200).json();
    assertThat(list.getString("issuer")).isEqualTo(did);
    assertThat(DataIntegrityProofs.onlyProof(list).getString("verificationMethod"))
        .isEqualTo(did + "#" + multibase);
    assertThat(new DataIntegrityProofs().verify(list, activeKey(tenant, "live").publicKey())
        .verified()).isTrue();
    JsonObject named = Batches.of(1).put("issuer", did);
    app.post("/v1/batches", live, named.encode()).assertStatus(202);
  }

  @Test
  @DisplayName("two tenants sign with different keys; each credential verifies only under its own issuer")
  void keysPerTenant() throws Exception {
    String tenantA = app.tenant("industry");
    String testA = app.key(tenantA, "test").getString("key");
    String tenantB = app.tenant("industry");
    String testB = app.key(tenantB, "test").getString("key");
    JsonObject vcA = issued(testA);
    JsonObject vcB = issued(testB);
    String methodA = DataIntegrityProofs.onlyProof(vcA).getString("verificationMethod");
    String methodB = DataIntegrityProofs.onlyProof(vcB).getString("verificationMethod");
    assertThat(methodA).isNotEqualTo(methodB).startsWith(activeKey(tenantA, "test").didKey());
    assertThat(methodB).startsWith(activeKey(tenantB, "test").didKey());
    assertThat(new NodeVerifier().verify(vcA, null).getBoolean("verified")).isTrue();
    assertThat(new NodeVerifier().verify(vcB, null).getBoolean("verified")).isTrue();

    // A's credential re-signed with B's key, still naming A: refused by both verifiers.
    TenantKey keyB = activeKey(tenantB, "test");
    JsonObject forged = resign(vcA, keyB, keyB.verificationMethod(null));
    JsonObject ours = verify(forged, null);
    assertThat(ours.getBoolean("verified")).isFalse();
    assertThat(ours.getJsonObject("checks").getJsonObject("proof").getString("reason"))
        .contains("does not belong to the issuer");
    assertThat(new NodeVerifier().verify(forged, null).getBoolean("verified")).isFalse();
  }

  @Test
  @DisplayName("a credential naming a tenant's verified did:web but signed with another tenant's key fails")
  void didWebBindsItsOwnKeys() {
    String did = site.did("bound-" + System.nanoTime());
    String tenantA = app.tenant("institution");
    String liveA = app.key(tenantA, "live").getString("key");
    site.publish(did, put(liveA, did).assertStatus(200).json().getJsonObject("did_document"));
    assertThat(verifyDid(liveA).json().getString("status")).isEqualTo("active");
    JsonObject vcA = issued(liveA);
    assertThat(verify(vcA, null).getBoolean("verified")).isTrue();

    String tenantB = app.tenant("institution");
    TenantKey keyB = activeKey(tenantB, "live");
    JsonObject forged = resign(vcA, keyB, did + "#" + keyB.publicKeyMultibase());
    JsonObject report = verify(forged, null);
    assertThat(report.getBoolean("verified")).isFalse();
    assertThat(report.getJsonObject("checks").getJsonObject("proof").getString("reason"))
        .contains("not one of its keys");
  }

  static Reply put(String apiKey, String did) {
    return app.send("PUT", "/v1/issuer", new JsonObject().put("did", did).encode()
        .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + apiKey,
        "Content-Type", "application/json");
  }

  static Reply verifyDid(String apiKey) {
    return app.post("/v1/issuer/verify", apiKey, "{}");
  }

  static JsonObject verify(JsonObject vc, JsonObject anchor) {
    JsonObject body = new JsonObject().put("credential", vc);
    if (anchor != null) {
      body.put("anchor", anchor);
    }
    return app.post("/v1/verify", activeTestKey(), body.encode()).assertStatus(200).json();
  }

  private static String verifier;

  private static synchronized String activeTestKey() {
    if (verifier == null) {
      verifier = app.newTestKey("industry");
    }
    return verifier;
  }

  static TenantKey activeKey(String tenant, String environment) {
    return app.gateway().services().tenantKeys().active(tenant, environment).await();
  }

  static JsonObject issued(String apiKey) {
    String batchId = app.post("/v1/batches", apiKey, Batches.of(1).encode()).assertStatus(202)
        .json().getString("id");
    return Batches.awaitCredential(app, apiKey, batchId).getJsonObject("credential");
  }

  /** The credential with its proof replaced by one of {@code key} under {@code method}. */
  static JsonObject resign(JsonObject vc, TenantKey key, String method) {
    JsonObject unsigned = vc.copy();
    unsigned.remove("proof");
    return new DataIntegrityProofs().sign(unsigned, key.signer(), method,
        Instant.parse(DataIntegrityProofs.onlyProof(vc).getString("created")));
  }
}
