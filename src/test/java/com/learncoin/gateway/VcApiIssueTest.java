package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.credential.TestCredentials;
import com.learncoin.gateway.support.DidKeySigner;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("POST /credentials/issue (W3C VC API): any VC 2.0 credential signed by the tenant's issuer, stored as a batch of one; each MUST refused with nothing stored")
class VcApiIssueTest {
  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;
  /** The tenant's test did:key, as the first issued credential names it. */
  private static String did;

  @BeforeAll
  static void firstCredential() {
    did = issued(body(credential())).getString("issuer");
    assertThat(did).startsWith("did:key:z6Mk");
  }

  /** A VC 2.0 credential as the W3C test suites send it: no issuer, a did:key subject. */
  static JsonObject credential() {
    return new JsonObject()
        .put("@context", new JsonArray().add(DidKeySigner.VC_V2).add(DidKeySigner.EXAMPLES_V2))
        .put("id", "urn:uuid:" + UUID.randomUUID())
        .put("type", new JsonArray().add("VerifiableCredential").add("AlumniCredential"))
        .put("name", "Alumni Credential")
        .put("validFrom", "2024-01-01T00:00:00Z")
        .put("credentialSubject", new JsonObject()
            .put("id", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
            .put("alumniOf", "The School of Examples"));
  }

  static JsonObject body(JsonObject credential) {
    return new JsonObject().put("credential", credential);
  }

  static Reply issue(JsonObject body, String... headers) {
    return app.post("/credentials/issue", key, body.encode(), headers);
  }

  /** 201, the signed credential (a proof set of one by the tenant's key), its Location. */
  static JsonObject issued(JsonObject body) {
    Reply reply = issue(body).assertStatus(201);
    assertThat(reply.header("Location")).matches("/v1/credentials/cred_[0-9A-Z]{26}");
    JsonObject vc = reply.json().getJsonObject("verifiableCredential");
    JsonArray proofs = vc.getJsonArray("proof");
    assertThat(proofs).hasSize(1);
    JsonObject proof = proofs.getJsonObject(0);
    assertThat(proof.getString("type")).isEqualTo("DataIntegrityProof");
    assertThat(proof.getString("cryptosuite")).isEqualTo("eddsa-rdfc-2022");
    assertThat(proof.getString("proofPurpose")).isEqualTo("assertionMethod");
    String issuer = vc.getValue("issuer") instanceof JsonObject o ? o.getString("id")
        : vc.getString("issuer");
    assertThat(proof.getString("verificationMethod")).startsWith(issuer + "#z6Mk");
    return vc.put("_location", reply.header("Location"));
  }

  /** What a refusal must leave: no batch, no credential, no quota used. */
  private static String footprint() {
    return app.queryLong("SELECT count(*) FROM batches WHERE tenant_id = ?", tenant) + "/"
        + app.queryLong("SELECT count(*) FROM credentials WHERE tenant_id = ?", tenant) + "/"
        + app.queryLong("SELECT coalesce(sum(credentials), 0) FROM monthly_usage "
            + "WHERE tenant_id = ?", tenant);
  }

  /** The credential changed by {@code change} is refused with {@code code}, naming the problem. */
  private static void refused(Consumer<JsonObject> change, String code, String named) {
    JsonObject credential = credential();
    change.accept(credential);
    refusedBody(body(credential), code, named);
  }

  private static void refusedBody(JsonObject body, String code, String named) {
    String before = footprint();
    JsonObject error = issue(body).assertError(400, code);
    assertThat(error.getString("message")).as(body.encode()).contains(named);
    assertThat(footprint()).as("nothing stored for " + body.encode()).isEqualTo(before);
  }

  @Test
  @DisplayName("the credential comes back unchanged but for the filled-in issuer and its proof; stored, counted, shown by GET /v1/credentials/{id}")
  void issuesUnchanged() {
    String before = footprint();
    JsonObject sent = credential();
    JsonObject vc = issued(body(sent));
    String location = (String) vc.remove("_location");
    assertThat(vc.getString("issuer")).isEqualTo(did);
    JsonObject bare = vc.copy();
    bare.remove("proof");
    bare.remove("issuer");
    assertThat(bare).isEqualTo(sent);
    String[] counts = before.split("/");
    assertThat(footprint()).isEqualTo((Long.parseLong(counts[0]) + 1) + "/"
        + (Long.parseLong(counts[1]) + 1) + "/" + (Long.parseLong(counts[2]) + 1));
    JsonObject stored = app.get(location, key).assertStatus(200).json();
    assertThat(stored.getJsonObject("credential")).isEqualTo(vc);
    assertThat(stored.getString("recipient_id"))
        .isEqualTo(sent.getJsonObject("credentialSubject").getString("id"));
    assertThat(app.queryLong("SELECT count FROM batches WHERE id = ?",
        stored.getString("batch_id"))).isOne();
  }

  @Test
  @DisplayName("an issuer naming the tenant's did:key, as a string or a profile object, is kept as sent")
  void namedIssuer() {
    assertThat(issued(body(credential().put("issuer", did))).getString("issuer")).isEqualTo(did);
    JsonObject profile = new JsonObject().put("id", did).put("name", "Example University");
    assertThat(issued(body(credential().put("issuer", profile))).getJsonObject("issuer"))
        .isEqualTo(profile);
  }

  @Test
  @DisplayName("several subjects, did:key ids, evidence, schema, terms of use and a related resource are fine")
  void richCredential() {
    JsonObject credential = credential()
        .put("description", new JsonArray().add(new JsonObject().put("@value", "Alumni")
            .put("@language", "en")).add(new JsonObject().put("@value", "Anciens")
            .put("@language", "fr")))
        .put("validUntil", "2099-01-01T00:00:00Z")
        .put("credentialSubject", new JsonArray()
            .add(new JsonObject().put("id", new DidKeySigner().did()).put("alumniOf", "A"))
            .add(new JsonObject().put("alumniOf", "B")))
        .put("credentialSchema", new JsonObject().put("id", "https://example.org/schema.json")
            .put("type", "JsonSchema"))
        .put("evidence", new JsonObject().put("type", "Evidence"))
        .put("termsOfUse", new JsonObject().put("type", "TrustFrameworkPolicy"))
        .put("relatedResource", new JsonObject().put("id", "https://example.org/photo.png")
            .put("digestSRI", "sha384-S57yQDg1MTzF56Oi9DbSQ14u7jBy0RDdx0YbeV7shwhCS88G8SCXeFq82PafhCrW"));
    issued(body(credential));
  }

  @Test
  @DisplayName("options.credentialStatus adds a BitstringStatusListEntry on our list; revoking it shows in /credentials/verify")
  void statusEntry() {
    JsonObject vc = issued(body(credential()).put("options", new JsonObject()
        .put("credentialStatus", new JsonObject().put("type", "BitstringStatusListEntry"))));
    String location = (String) vc.remove("_location");
    JsonObject status = vc.getJsonObject("credentialStatus");
    assertThat(status.getString("type")).isEqualTo("BitstringStatusListEntry");
    assertThat(status.getString("statusPurpose")).isEqualTo("revocation");
    assertThat(status.getString("statusListCredential"))
        .startsWith("http://localhost:" + app.gateway().port() + "/status/");
    JsonObject verify = new JsonObject().put("verifiableCredential", vc);
    assertThat(app.post("/credentials/verify", key, verify.encode()).assertStatus(200).json()
        .getJsonArray("checks")).contains("status");
    app.post(location + "/revoke", key, "{}").assertStatus(200);
    assertThat(app.post("/credentials/verify", key, verify.encode()).assertStatus(400).json()
        .getJsonArray("errors").getString(0)).startsWith("status: revoked");
  }

  @Test
  @DisplayName("the same Idempotency-Key replays the 201 and stores one credential")
  void idempotent() {
    JsonObject body = body(credential());
    String idem = "vcapi-" + UUID.randomUUID();
    Reply first = issue(body, "Idempotency-Key", idem).assertStatus(201);
    String before = footprint();
    Reply again = issue(body, "Idempotency-Key", idem).assertStatus(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.text()).isEqualTo(first.text());
    assertThat(footprint()).isEqualTo(before);
    issue(body(credential()), "Idempotency-Key", idem).assertError(409, "idempotency_key_reused");
  }

  @Test
  @DisplayName("the body: not JSON, no credential, wrong types, unsupported or malformed options, a proof, two statuses")
  void malformedBodies() {
    String before = footprint();
    app.post("/credentials/issue", key, "{\"credential\":").assertError(400, "invalid_json");
    refusedBody(new JsonObject(), "missing_required_field", "credential is required");
    refusedBody(new JsonObject().put("credential", "ey..."), "invalid_field_format", "credential");
    refusedBody(body(credential()).put("options", "x"), "invalid_field_format", "options");
    refusedBody(body(credential()).put("options", new JsonObject().put("mandatoryPointers",
        new JsonArray().add("/issuer"))), "invalid_field_format", "options.mandatoryPointers");
    refusedBody(body(credential()).put("options", new JsonObject().put("credentialStatus",
        new JsonObject().put("type", "StatusList2021Entry"))), "invalid_field_format",
        "options.credentialStatus");
    refused(c -> c.put("proof", new JsonArray().add(new JsonObject())), "invalid_field_format",
        "must not have a proof");
    refusedBody(body(credential().put("credentialStatus", new JsonObject()
        .put("type", "BitstringStatusListEntry"))).put("options", new JsonObject()
        .put("credentialStatus", new JsonObject().put("type", "BitstringStatusListEntry"))),
        "invalid_field_format", "credentialStatus is already set");
    assertThat(footprint()).isEqualTo(before);
  }

  @Test
  @DisplayName("VC Data Model 2.0 MUSTs: context, type, issuer, subjects and claims, URL ids, typed objects, texts, dates, digests")
  void dataModelMusts() {
    refused(c -> c.remove("@context"), "missing_required_field", "credential.@context");
    refused(c -> c.put("@context", new JsonArray().add(DidKeySigner.VC_V1)
        .add(DidKeySigner.VC_V2)), "invalid_field_format", "credential.@context");
    refused(c -> c.remove("type"), "invalid_field_format", "credential.type is required");
    refused(c -> c.put("type", new JsonArray().add("AlumniCredential")), "invalid_field_format",
        "credential.type must include VerifiableCredential");
    refused(c -> c.put("issuer", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
        "invalid_field_format", "credential.issuer must be this tenant's issuer, " + did);
    refused(c -> c.put("issuer", new JsonObject().put("name", "No id")), "invalid_field_format",
        "credential.issuer");
    refused(c -> c.remove("credentialSubject"), "missing_required_field",
        "credential.credentialSubject is required");
    refused(c -> c.put("credentialSubject", new JsonObject().put("id", did)),
        "invalid_field_format", "credential.credentialSubject must make at least one claim");
    refused(c -> c.put("credentialSubject", new JsonArray()), "invalid_field_format",
        "credential.credentialSubject must be an object or a non-empty array");
    refused(c -> c.getJsonObject("credentialSubject").put("id", "not a url"),
        "invalid_field_format", "credential.credentialSubject.id must be a URL");
    refused(c -> c.put("id", "credential-1"), "invalid_field_format", "credential.id must be a URL");
    refused(c -> c.put("credentialStatus", new JsonObject().put("id", "https://example.org/s#1")),
        "invalid_field_format", "credential.credentialStatus.type is required");
    refused(c -> c.put("credentialSchema", new JsonObject().put("type", "JsonSchema")),
        "missing_required_field", "credential.credentialSchema.id is required");
    refused(c -> c.put("termsOfUse", new JsonObject().put("id", "https://example.org/tou")),
        "invalid_field_format", "credential.termsOfUse.type is required");
    refused(c -> c.put("evidence", new JsonArray().add(new JsonObject().put("id",
        "https://example.org/e"))), "invalid_field_format", "credential.evidence[0].type is required");
    refused(c -> c.put("refreshService", new JsonObject().put("id", "https://example.org/r")),
        "invalid_field_format", "credential.refreshService.type is required");
    refused(c -> c.put("name", 42), "invalid_field_format", "credential.name must be a string");
    refused(c -> c.put("description", new JsonObject().put("@value", "x")
        .put("@direction", "up")), "invalid_field_format", "credential.description");
    refused(c -> c.put("validFrom", "2024-01-01"), "invalid_field_format",
        "credential.validFrom must be an XML Schema dateTimeStamp");
    refused(c -> c.put("validUntil", "2023-01-01T00:00:00Z"), "invalid_field_format",
        "credential.validUntil must not be before validFrom");
    refused(c -> c.put("relatedResource", new JsonObject().put("id", "https://example.org/x")),
        "invalid_field_format", "credential.relatedResource must have a digestSRI or digestMultibase");
  }

  @Test
  @DisplayName("JSON-LD safe mode: undefined terms and types, an unbundled context, a protected term redefined, a relative id, a bad language tag; bounds")
  void jsonLdSafeMode() {
    refused(c -> c.put("@context", new JsonArray().add(DidKeySigner.VC_V2)),
        "invalid_field_format", "alumniOf");
    refused(c -> {
      c.put("@context", new JsonArray().add(DidKeySigner.VC_V2));
      c.put("type", new JsonArray().add("VerifiableCredential").add("AlumniCredential"));
      c.put("credentialSubject", new JsonObject().put("id", did).put("name", "Ada"));
    }, "invalid_field_format", "AlumniCredential");
    refused(c -> c.getJsonArray("@context").add("https://example.org/contexts/extra.json"),
        "invalid_field_format", "not bundled");
    refused(c -> c.getJsonArray("@context").add(new JsonObject().put("VerifiableCredential",
        "https://example.org/Other")), "invalid_field_format", "credential is not JSON-LD");
    refused(c -> c.getJsonObject("credentialSubject").put("homepage", new JsonObject()
        .put("id", "relative/page")), "invalid_field_format", "relative");
    refused(c -> c.getJsonObject("credentialSubject").put("motto", new JsonObject()
        .put("@value", "x").put("@language", "not a tag!")), "invalid_field_format", "@language");
    refused(c -> c.put("credentialSubject", TestCredentials.blankNodeClique(9)),
        "invalid_field_format", "at most");
  }

  @Test
  @DisplayName("another tenant's did:web, or any did:web on a test key, is not this tenant's issuer")
  void didWebOnTestKey() {
    refused(c -> c.put("issuer", "did:web:school.example"), "invalid_field_format",
        "must be this tenant's issuer, " + did);
  }

  @Test
  @DisplayName("a live key with a verified did:web issues as it (named or left out); naming the did:key then is refused")
  void liveDidWeb() {
    String liveTenant = app.tenant("institution");
    String live = app.key(liveTenant, "live").getString("key");
    String web = "did:web:vcapi-issue-" + System.nanoTime() + ".example";
    app.execute("UPDATE tenants SET issuer_did = '" + web + "', issuer_did_status = 'active' "
        + "WHERE id = '" + liveTenant + "'");
    Reply absent = app.post("/credentials/issue", live, body(credential()).encode())
        .assertStatus(201);
    JsonObject vc = absent.json().getJsonObject("verifiableCredential");
    assertThat(vc.getString("issuer")).isEqualTo(web);
    assertThat(vc.getJsonArray("proof").getJsonObject(0).getString("verificationMethod"))
        .startsWith(web + "#z6Mk");
    assertThat(app.post("/credentials/verify", live, new JsonObject()
        .put("verifiableCredential", vc).encode()).assertStatus(200).json()
        .getBoolean("verified")).isTrue();
    app.post("/credentials/issue", live, body(credential().put("issuer", web)).encode())
        .assertStatus(201);
    String liveDidKey = app.admin("GET", "/admin/v1/tenants/" + liveTenant + "/signing-keys", null)
        .assertStatus(200).json().getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(k -> "live".equals(k.getString("environment"))).findFirst().orElseThrow()
        .getString("did_key");
    JsonObject error = app.post("/credentials/issue", live,
        body(credential().put("issuer", liveDidKey)).encode()).assertError(400,
        "invalid_field_format");
    assertThat(error.getString("message")).contains("must be this tenant's issuer, " + web);
  }

  @Test
  @DisplayName("a spent monthly quota is 422 monthly_quota_exceeded, nothing stored")
  void quota() {
    String starter = app.tenant("starter");
    String starterKey = app.key(starter, "test").getString("key");
    app.execute("INSERT INTO monthly_usage (tenant_id, environment, month, credentials) VALUES ('"
        + starter + "', 'test', date_trunc('month', now() AT TIME ZONE 'UTC')::date, 1000)");
    app.post("/credentials/issue", starterKey, body(credential()).encode())
        .assertError(422, "monthly_quota_exceeded");
    assertThat(app.queryLong("SELECT count(*) FROM batches WHERE tenant_id = ?", starter)).isZero();
  }

  @Test
  @DisplayName("the tenant's token bucket covers the VC API: past it, 429 rate_limited with Retry-After, nothing stored")
  void rateLimited() {
    String starter = app.tenant("starter");
    String starterKey = app.key(starter, "test").getString("key");
    // The bucket refills 2 tokens a second: on a slow machine one may come back between the
    // last 429 and the issue call, so spend again until the issue call itself is refused.
    Reply limited = null;
    long stored = 0;
    for (int attempt = 0; attempt < 5 && (limited == null || limited.status() != 429); attempt++) {
      Reply last = null;
      for (int i = 0; i < 200 && (last == null || last.status() != 429); i++) {
        last = app.post("/credentials/verify", starterKey, "{}");
      }
      assertThat(last.status()).as("the starter plan's 120 requests a minute were spent").isEqualTo(429);
      stored = app.queryLong("SELECT count(*) FROM batches WHERE tenant_id = ?", starter);
      limited = app.post("/credentials/issue", starterKey, body(credential()).encode());
    }
    limited.assertError(429, "rate_limited");
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
    assertThat(app.queryLong("SELECT count(*) FROM batches WHERE tenant_id = ?", starter))
        .as("nothing stored by the refused call").isEqualTo(stored);
  }

  @Test
  @DisplayName("erasing a VC API credential removes the caller's document, the signed VC and the stored answer that showed it")
  void erasure() {
    String idem = "vcapi-erase-" + UUID.randomUUID();
    JsonObject sent = credential();
    String subject = new DidKeySigner().did();
    sent.getJsonObject("credentialSubject").put("id", subject);
    Reply issued = issue(body(sent), "Idempotency-Key", idem).assertStatus(201);
    String location = issued.header("Location");
    String id = location.substring(location.lastIndexOf('/') + 1);
    assertThat(app.queryLong("SELECT count(*) FROM idempotency_keys WHERE key = ?", idem)).isOne();
    app.post(location + "/erase", key, "{}").assertStatus(200);
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE id = ? AND input IS NULL "
        + "AND vc IS NULL AND recipient_id IS NULL", id)).isOne();
    assertThat(app.queryLong("SELECT count(*) FROM idempotency_keys WHERE key = ?", idem)).isZero();
    assertThat(app.queryLong("SELECT count(*) FROM credentials WHERE tenant_id = ? AND "
        + "(input::text LIKE ? OR vc LIKE ?)", tenant, "%" + subject + "%", "%" + subject + "%"))
        .isZero();
  }
}
