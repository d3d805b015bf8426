package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proof signs the RDF, not the JSON keys: a key written as its full IRI, or as an alias from
 * an inline context, gives the same statements and keeps the signature valid. Status and validity
 * must be read from those statements, so such a rewrite cannot hide a revocation or a date.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("POST /v1/verify reads status and validity from the signed statements, not JSON keys")
class VerifyRewriteTest {
  private static final String CRED = "https://www.w3.org/2018/credentials#";
  private static final String XSD_DATE_TIME = "http://www.w3.org/2001/XMLSchema#dateTime";

  private static TestGateway app;
  private static String key;

  @BeforeAll
  static void start(Vertx vertx) {
    app = TestGateway.start(vertx);
    key = app.key(app.tenant("industry"), "test").getString("key");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** {"id", "credential", ...} of a signed credential, as GET /v1/credentials/{id} returns it. */
  private static JsonObject issue(JsonObject input) {
    String batchId = app.post("/v1/batches", key, Batches.with(input).encode()).assertStatus(202)
        .json().getString("id");
    String id = Batches.awaitCredential(app, key, batchId).getString("id");
    return app.get("/v1/credentials/" + id, key).assertStatus(200).json();
  }

  private static JsonObject revoked() {
    JsonObject credential = issue(Batches.credential());
    app.post("/v1/credentials/" + credential.getString("id") + "/revoke", key, null)
        .assertStatus(200);
    return credential.getJsonObject("credential");
  }

  /** The same members in the same order, {@code from} renamed to {@code to}. */
  private static JsonObject renamed(JsonObject vc, String from, String to, Object value) {
    assertThat(vc.containsKey(from)).as(from + " in " + vc.encode()).isTrue();
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> entry : vc) {
      if (entry.getKey().equals(from)) {
        out.put(to, value == null ? entry.getValue() : value);
      } else {
        out.put(entry.getKey(), entry.getValue());
      }
    }
    return out;
  }

  private static JsonObject dateTime(JsonObject vc, String field) {
    return new JsonObject().put("@value", vc.getString(field)).put("@type", XSD_DATE_TIME);
  }

  private static JsonObject verify(JsonObject vc) {
    JsonObject report = app.post("/v1/verify", key,
        new JsonObject().put("credential", vc).encode()).assertStatus(200).json();
    // The rewrite keeps the signature valid: that is what makes it an attack.
    assertThat(check(report, "proof").getString("status")).as(report.encode())
        .isEqualTo("passed");
    assertThat(report.getBoolean("verified")).as(report.encode()).isFalse();
    return report;
  }

  private static JsonObject check(JsonObject report, String name) {
    return report.getJsonObject("checks").getJsonObject(name);
  }

  @Test
  @DisplayName("revoked, credentialStatus written as its IRI: status failed, revoked")
  void revokedViaIri() {
    JsonObject vc = renamed(revoked(), "credentialStatus", CRED + "credentialStatus", null);
    JsonObject report = verify(vc);
    assertThat(check(report, "status").getString("status")).isEqualTo("failed");
    assertThat(check(report, "status").getString("reason")).contains("revoked");
  }

  @Test
  @DisplayName("revoked, credentialStatus under an alias of an inline context: status failed")
  void revokedViaAlias() {
    JsonObject original = revoked();
    JsonObject vc = renamed(original, "credentialStatus", "st", null);
    vc.getJsonArray("@context").add(new JsonObject().put("st", CRED + "credentialStatus"));
    JsonObject report = verify(vc);
    assertThat(check(report, "status").getString("status")).isEqualTo("failed");
    assertThat(check(report, "status").getString("reason")).contains("revoked");
  }

  @Test
  @DisplayName("expired (validUntil 2021) written as its IRI with an xsd:dateTime value: expiry failed")
  void expiredViaIri() {
    JsonObject vc = issue(Batches.credential().put("issuanceDate", "2020-01-01T00:00:00Z")
        .put("expirationDate", "2021-01-01T00:00:00Z")).getJsonObject("credential");
    JsonObject report = verify(renamed(vc, "validUntil", CRED + "validUntil",
        dateTime(vc, "validUntil")));
    assertThat(check(report, "expiry").getString("status")).isEqualTo("failed");
    assertThat(check(report, "expiry").getString("reason")).contains("expired").contains("2021");
  }

  @Test
  @DisplayName("valid only from 2099, validFrom written as its IRI: expiry failed, not yet valid")
  void notYetValidViaIri() {
    JsonObject vc = issue(Batches.credential().put("issuanceDate", "2099-01-01T00:00:00Z")
        .put("expirationDate", "2100-01-01T00:00:00Z")).getJsonObject("credential");
    JsonObject report = verify(renamed(vc, "validFrom", CRED + "validFrom",
        dateTime(vc, "validFrom")));
    assertThat(check(report, "expiry").getString("status")).isEqualTo("failed");
    assertThat(check(report, "expiry").getString("reason")).contains("not yet valid")
        .contains("2099");
  }
}
