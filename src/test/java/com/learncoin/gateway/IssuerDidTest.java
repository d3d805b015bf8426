package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.credential.Multibase;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("PUT /v1/issuer: a tenant's custom did:web issuer")
class IssuerDidTest {
  private static TestGateway app;

  private static Reply put(String apiKey, String json) {
    return app.send("PUT", "/v1/issuer", json.getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer " + apiKey, "Content-Type", "application/json");
  }

  private static String did(String did) {
    return new JsonObject().put("did", did).encode();
  }

  private static byte[] tenantKey(String tenant, String environment) {
    return app.gateway().services().tenantKeys().active(tenant, environment).await().publicKey();
  }

  private static String unique(String name) {
    return "did:web:" + name + "-" + System.nanoTime() + ".example";
  }

  @Test
  @DisplayName("institution + live key: 200, pending, with the DID document naming the tenant's live key")
  void setsDid() {
    String tenant = app.tenant("institution");
    String live = app.key(tenant, "live").getString("key");
    String did = unique("school");

    JsonObject answer = put(live, did(did)).assertStatus(200).json();
    assertThat(answer.getString("object")).isEqualTo("issuer");
    assertThat(answer.getString("did")).isEqualTo(did);
    assertThat(answer.getString("status")).isEqualTo("pending_verification");
    assertThat(answer.getString("document_url")).isEqualTo("https://" + did.substring(8)
        + "/.well-known/did.json");
    JsonObject document = answer.getJsonObject("did_document");
    assertThat(document.getString("id")).isEqualTo(did);
    assertThat(document.getJsonArray("@context")).contains("https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1");
    JsonArray methods = document.getJsonArray("verificationMethod");
    assertThat(methods).hasSize(1);
    JsonObject method = methods.getJsonObject(0);
    assertThat(method.getString("type")).isEqualTo("Multikey");
    assertThat(method.getString("controller")).isEqualTo(did);
    String multibase = method.getString("publicKeyMultibase");
    assertThat(method.getString("id")).isEqualTo(did + "#" + multibase);
    assertThat(document.getJsonArray("assertionMethod")).containsExactly(method.getString("id"));

    byte[] decoded = Multibase.decodeBase58btc(multibase);
    assertThat(Arrays.copyOfRange(decoded, 0, 2)).containsExactly(0xed, 0x01);
    assertThat(Arrays.copyOfRange(decoded, 2, decoded.length)).isEqualTo(tenantKey(tenant, "live"));
    assertThat(DidKey.publicKeyOf("did:key:" + multibase)).isEqualTo(tenantKey(tenant, "live"));
    assertThat(tenantKey(tenant, "live")).isNotEqualTo(
        app.gateway().services().issuance().signer().publicKey());
    // The same claim again changes nothing.
    assertThat(put(live, did(did)).assertStatus(200).json().getString("status"))
        .isEqualTo("pending_verification");

    JsonObject shown = app.get("/v1/tenants/" + tenant, live).assertStatus(200).json();
    assertThat(shown.getString("issuer_did")).isEqualTo(did);
    assertThat(app.queryText("SELECT issuer_did FROM tenants WHERE id = ?", tenant)).isEqualTo(did);
  }

  @Test
  @DisplayName("GET /v1/tenants/{id} shows the new DID even when the tenant was just read (cache dropped)")
  void cacheDropped() {
    String tenant = app.tenant("industry");
    String live = app.key(tenant, "live").getString("key");
    assertThat(app.get("/v1/tenants/" + tenant, live).assertStatus(200).json().getValue("issuer_did"))
        .isNull();
    String first = unique("school") + "%3A8443:credentials:v1";
    put(live, did(first)).assertStatus(200);
    assertThat(app.get("/v1/tenants/" + tenant, live).assertStatus(200).json().getString("issuer_did"))
        .isEqualTo(first);
    String second = unique("academy");
    put(live, did(second)).assertStatus(200);
    assertThat(app.get("/v1/tenants/" + tenant, live).assertStatus(200).json().getString("issuer_did"))
        .isEqualTo(second);
  }

  @Test
  @DisplayName("starter: 403 tier_required, even with a live key; nothing stored")
  void starterRefused() {
    String tenant = app.tenant("starter");
    String live = app.key(tenant, "live").getString("key");
    assertThat(put(live, did("did:web:school.example")).assertError(403, "tier_required")
        .getString("message")).contains("institution");
    String test = app.key(tenant, "test").getString("key");
    put(test, did("did:web:school.example")).assertError(403, "tier_required");
    assertThat(app.queryText("SELECT issuer_did FROM tenants WHERE id = ?", tenant)).isNull();
  }

  @Test
  @DisplayName("a test key on institution: 403 environment_mismatch; nothing stored")
  void testKeyRefused() {
    String tenant = app.tenant("institution");
    String test = app.key(tenant, "test").getString("key");
    assertThat(put(test, did("did:web:school.example")).assertError(403, "environment_mismatch")
        .getString("message")).contains("lrn_live_");
    assertThat(app.queryText("SELECT issuer_did FROM tenants WHERE id = ?", tenant)).isNull();
  }

  @Test
  @DisplayName("a missing or malformed did: 400 naming did, before the plan and environment checks")
  void validation() {
    String starterTest = app.newTestKey("starter");
    String live = app.key(app.tenant("institution"), "live").getString("key");
    for (String key : new String[] {starterTest, live}) {
      assertThat(put(key, "{}").assertError(400, "missing_required_field").getString("message"))
          .startsWith("did ");
      assertThat(put(key, "{\"did\": null}").assertError(400, "missing_required_field")
          .getString("message")).startsWith("did ");
    }
    String[] bad = {"\"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\"",
        "\"did:web:\"", "\"did:web:-school.example\"", "\"did:web:school..example\"",
        "\"did:web:school.example:\"", "\"did:web:school.example::x\"",
        "\"did:web:school.example%3A\"", "\"did:web:school.example%3A99999\"",
        "\"did:web:school.example%2F\"", "\"did:web:192.168.0.1\"",
        "\"did:web:school.example#key-1\"", "\"did:web:school.example/path\"",
        "\"did:web:school example\"", "\"https://school.example\"", "42", "[\"did:web:a.example\"]"};
    for (String value : bad) {
      assertThat(put(live, "{\"did\": " + value + "}").assertError(400, "invalid_field_format")
          .getString("message")).as(value).startsWith("did must be");
    }
    put(live, "not json").assertError(400, "invalid_json");
  }

  @Test
  @DisplayName("test batches of a tenant with a did:web name the tenant's test key's did:key")
  void testBatchKeepsDidKey() {
    String tenant = app.tenant("institution");
    String live = app.key(tenant, "live").getString("key");
    String test = app.key(tenant, "test").getString("key");
    put(live, did(unique("school"))).assertStatus(200);
    String batchId = app.post("/v1/batches", test, Batches.of(1).encode()).assertStatus(202)
        .json().getString("id");
    assertThat(app.queryText("SELECT issuer FROM batches WHERE id = ?", batchId)).isNull();
    JsonObject vc = Batches.awaitCredential(app, test, batchId).getJsonObject("credential");
    assertThat(vc.getJsonObject("issuer").getString("id"))
        .isEqualTo(DidKey.fromEd25519(tenantKey(tenant, "test")));
  }
}
