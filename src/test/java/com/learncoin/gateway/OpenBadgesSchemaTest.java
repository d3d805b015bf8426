package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What we issue against 1EdTech's Open Badges 3.0 AchievementCredential JSON Schema (a copy of the
 * data file in src/test/resources/ob3; draft 2019-09, no remote references), offline: the check
 * the Learner Credential Wallet's verifier runs on every OB 3.0 credential.
 */
@GatewayTest(plan = "industry")
@DisplayName("Issued credentials are valid against 1EdTech's Open Badges 3.0 JSON Schema")
class OpenBadgesSchemaTest {
  private static TestGateway app;
  @GatewayTest.TenantId private static String tenant;
  @GatewayTest.TenantKey private static String key;
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = OpenBadgesSchemaTest.class.getResourceAsStream(
        "/ob3/ob_v3p0_achievementcredential_schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(in);
    }
  }

  @Test
  @DisplayName("with alignments and expiry, and with neither: no schema error; proof is a set of one")
  void shapes() {
    JsonObject bare = Batches.credential();
    bare.remove("expirationDate");
    bare.getJsonObject("achievement").remove("alignment");
    bare.getJsonObject("achievement").remove("id");
    JsonObject batch = new JsonObject().put("credentials", new JsonArray()
        .add(Batches.credential()).add(bare));
    for (JsonObject vc : issued(key, batch)) {
      assertThat(errors(vc)).as(vc.encodePrettily()).isEmpty();
      assertThat(vc.getValue("proof")).isInstanceOf(JsonArray.class);
      assertThat(vc.getJsonArray("proof")).hasSize(1);
    }
  }

  @Test
  @DisplayName("under a verified did:web issuer: no schema error; its status list's proof is a set of one")
  void didWebIssuer() {
    String did = "did:web:schema-" + System.nanoTime() + ".example";
    String live = app.key(tenant, "live").getString("key");
    app.execute("UPDATE tenants SET issuer_did = '" + did + "', issuer_did_status = 'active' "
        + "WHERE id = '" + tenant + "'");
    try {
      JsonObject vc = issued(live, Batches.of(1)).get(0);
      assertThat(vc.getJsonObject("issuer").getString("id")).isEqualTo(did);
      assertThat(errors(vc)).as(vc.encodePrettily()).isEmpty();
      String url = vc.getJsonObject("credentialStatus").getString("statusListCredential");
      JsonObject list = app.send("GET", url.substring(url.indexOf("/status/")), null)
          .assertStatus(200).json();
      assertThat(list.getJsonArray("proof")).hasSize(1);
    } finally {
      app.execute("UPDATE tenants SET issuer_did = NULL, issuer_did_status = NULL WHERE id = '"
          + tenant + "'");
    }
  }

  @Test
  @DisplayName("the schema is really checked: a credential without credentialSubject fails it")
  void schemaBites() {
    JsonObject vc = issued(key, Batches.of(1)).get(0);
    vc.remove("credentialSubject");
    assertThat(errors(vc)).isNotEmpty();
  }

  private static List<String> errors(JsonObject vc) {
    List<String> messages = new ArrayList<>();
    schema.validate(vc.encode(), InputFormat.JSON)
        .forEach(error -> messages.add(error.getMessage()));
    return messages;
  }

  private static List<JsonObject> issued(String apiKey, JsonObject batch) {
    String batchId = app.post("/v1/batches", apiKey, batch.encode()).assertStatus(202).json()
        .getString("id");
    Batches.awaitStatus(app, apiKey, batchId, "anchored");
    List<JsonObject> credentials = new ArrayList<>();
    app.get("/v1/batches/" + batchId + "/credentials", apiKey).assertStatus(200).json()
        .getJsonArray("data").forEach(c -> credentials.add(((JsonObject) c)
            .getJsonObject("credential")));
    return credentials;
  }
}
