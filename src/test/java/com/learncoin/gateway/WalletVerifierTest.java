package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.DidWebServer;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a learner's wallet says about our credentials: the Digital Credentials Consortium's
 * verifier-core (inside the Learner Credential Wallet and VerifierPlus), run by
 * interop/verify-wallet.mjs on credentials the real gateway issued. It fetches with the global
 * fetch, so the script answers from the gateway's loopback address and local files only, refuses
 * everything else, and lists every URL tried; the assertions check that list too.
 */
@DisplayName("The learner's wallet verifier (DCC verifier-core) accepts what we issue, offline")
class WalletVerifierTest {
  private static final String SCHEMA =
      "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
  // A reserved name (RFC 2606): even a broken guard could not reach anything with it.
  private static final String REGISTRY = "https://registry.invalid/registry.json";

  private static Vertx vertx;
  private static DidWebServer site;
  private static TestGateway app;
  private static NodeVerifier node;

  @BeforeAll
  static void start() {
    node = new NodeVerifier();
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
  @DisplayName("did:key issuer: valid, revoked reported revoked, tampered rejected, 1EdTech schema valid")
  void didKeyIssuer() throws Exception {
    String key = app.newTestKey("institution");
    JsonObject bare = Batches.credential();
    bare.remove("expirationDate");
    bare.getJsonObject("achievement").remove("alignment");
    JsonObject batch = new JsonObject().put("credentials",
        new JsonArray().add(Batches.credential()).add(bare).add(Batches.credential()));
    String batchId = app.post("/v1/batches", key, batch.encode()).assertStatus(202).json()
        .getString("id");
    Batches.awaitStatus(app, key, batchId, "anchored");
    List<JsonObject> issued = signedCredentials(key, batchId, 3);
    app.post("/v1/credentials/" + issued.get(2).getString("id") + "/revoke", key,
        "{\"reason\": \"wallet interop check\"}").assertStatus(200);
    JsonObject tampered = issued.get(0).getJsonObject("credential").copy();
    tampered.getJsonObject("credentialSubject").getJsonObject("achievement")
        .put("name", "Welding Level 3");
    Map<String, JsonObject> credentials = new LinkedHashMap<>();
    credentials.put("valid", issued.get(0).getJsonObject("credential"));
    credentials.put("noAlignmentNoExpiry", issued.get(1).getJsonObject("credential"));
    credentials.put("revoked", issued.get(2).getJsonObject("credential"));
    credentials.put("tampered", tampered);

    JsonObject out = node.verifyAsWallet(credentials, app, new JsonObject(),
        new JsonArray().add(new JsonObject().put("name", "a registry the check must not reach")
            .put("type", "dcc-legacy").put("url", REGISTRY)));
    JsonObject results = out.getJsonObject("results");

    for (String name : List.of("valid", "noAlignmentNoExpiry")) {
      assertValidAndSchemaValid(results.getJsonObject(name), name + ": " + out.encode());
    }
    JsonObject revoked = results.getJsonObject("revoked");
    assertThat(revoked.getBoolean("revoked")).as(out.encode()).isTrue();
    assertThat(revoked.getJsonArray("errors")).as(out.encode()).isEmpty();
    JsonObject rejected = results.getJsonObject("tampered");
    assertThat(rejected.getBoolean("verified")).as(out.encode()).isFalse();
    assertThat(rejected.getJsonArray("errors").getString(0)).startsWith("invalid_signature");
    // The trust registry a wallet would consult is refused, and reported as not checked.
    assertThat(results.getJsonObject("valid").getJsonObject("registeredIssuer")
        .getJsonArray("unchecked")).containsExactly(REGISTRY);

    Map<String, String> fetches = fetches(out);
    String listUrl = issued.get(0).getJsonObject("credential").getJsonObject("credentialStatus")
        .getString("statusListCredential");
    assertThat(listUrl).startsWith("http://localhost:" + app.gateway().port() + "/status/");
    assertThat(fetches).containsEntry(listUrl, "gateway").containsEntry(SCHEMA, "file")
        .containsEntry(REGISTRY, "refused");
    assertThat(fetches).as("every URL tried: %s", out.getJsonArray("fetches"))
        .containsOnlyKeys(listUrl, SCHEMA, REGISTRY);
  }

  @Test
  @DisplayName("did:web issuer: valid with its did.json served by the check; without it, rejected")
  void didWebIssuer() throws Exception {
    String did = site.did("issuers", "wallet-" + System.nanoTime());
    String live = app.key(app.tenant("institution"), "live").getString("key");
    JsonObject claim = putIssuer(live, did).assertStatus(200).json();
    JsonObject document = claim.getJsonObject("did_document");
    site.publish(did, document);
    assertThat(app.post("/v1/issuer/verify", live, "{}").assertStatus(200).json()
        .getString("status")).isEqualTo("active");
    String batchId = app.post("/v1/batches", live, Batches.of(1).encode()).assertStatus(202)
        .json().getString("id");
    JsonObject vc = Batches.awaitCredential(app, live, batchId).getJsonObject("credential");
    assertThat(vc.getJsonObject("issuer").getString("id")).isEqualTo(did);
    // What did:web resolution asks for: https://localhost:<port>/issuers/<name>/did.json.
    String documentUrl = "https://localhost:" + did.split(":")[2].split("%3A")[1] + "/issuers/"
        + did.substring(did.lastIndexOf(':') + 1) + "/did.json";

    JsonObject out = node.verifyAsWallet(Map.of("didWeb", vc), app,
        new JsonObject().put(documentUrl, document), new JsonArray());
    JsonObject result = out.getJsonObject("results").getJsonObject("didWeb");
    assertValidAndSchemaValid(result, out.encode());
    String listUrl = vc.getJsonObject("credentialStatus").getString("statusListCredential");
    assertThat(fetches(out)).as("every URL tried: %s", out.getJsonArray("fetches"))
        .containsOnly(Map.entry(documentUrl, "didDocument"), Map.entry(listUrl, "gateway"),
            Map.entry(SCHEMA, "file"));

    // Without the document the guard refuses its URL (though the site is up, on loopback).
    JsonObject unresolved = node.verifyAsWallet(Map.of("didWeb", vc), app, new JsonObject(),
        new JsonArray());
    JsonObject failed = unresolved.getJsonObject("results").getJsonObject("didWeb");
    assertThat(failed.getBoolean("verified")).as(unresolved.encode()).isFalse();
    // verifier-core names it did_web_unresolved only when the failed URL contains the DID's
    // "localhost%3A<port>" as written; with a port it is its generic HTTP error instead.
    assertThat(failed.getJsonArray("errors").getString(0))
        .startsWith("http_error_with_signature_check");
    assertThat(fetches(unresolved)).containsEntry(documentUrl, "refused");
  }

  private static void assertValidAndSchemaValid(JsonObject result, String context) {
    assertThat(result.getBoolean("verified")).as(context).isTrue();
    assertThat(result.getJsonArray("errors")).as(context).isEmpty();
    assertThat(result.getBoolean("expired")).as(context).isFalse();
    assertThat(result.getBoolean("revoked")).as(context).isFalse();
    assertThat(result.getJsonArray("schema")).as(context).containsExactly(new JsonObject()
        .put("schema", SCHEMA).put("valid", true).put("errors", new JsonArray()));
  }

  /** URL to how the script's fetch guard answered it (the last answer, if tried twice). */
  private static Map<String, String> fetches(JsonObject out) {
    Map<String, String> fetches = new LinkedHashMap<>();
    out.getJsonArray("fetches").forEach(f -> fetches.put(((JsonObject) f).getString("url"),
        ((JsonObject) f).getString("served")));
    return fetches;
  }

  private static List<JsonObject> signedCredentials(String key, String batchId, int count) {
    return Eventually.await(count + " signed credentials in " + batchId, Duration.ofMinutes(2),
        () -> {
          JsonArray data = app.get("/v1/batches/" + batchId + "/credentials", key)
              .assertStatus(200).json().getJsonArray("data");
          List<JsonObject> all = data.stream().map(JsonObject.class::cast).toList();
          return Optional.of(all).filter(list -> list.size() == count
              && list.stream().allMatch(c -> c.getValue("credential") != null));
        });
  }

  private static Reply putIssuer(String apiKey, String did) {
    return app.send("PUT", "/v1/issuer", new JsonObject().put("did", did).encode()
        .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + apiKey,
        "Content-Type", "application/json");
  }
}
