package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Digital Credentials Consortium's verifier-core (inside the Learner Credential Wallet and
 * VerifierPlus) checks what we issue, offline: signature, expiry, revocation through our status
 * list, and 1EdTech's OB 3.0 schema. interop/verifier-core.mjs answers its fetches from loopback
 * and local files and lists every other URL it tried; there must be none.
 */
@GatewayTest
@DisplayName("DCC verifier-core (the learner's wallet) verifies our credentials offline")
class DccVerifierTest {
  private static TestGateway app;
  @GatewayTest.TenantKey private static String key;

  @Test
  @DisplayName("valid, schema-valid; revoked reported revoked; tampered rejected")
  void wallet() throws Exception {
    String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202).json()
        .getString("id");
    Batches.awaitStatus(app, key, batchId, "anchored");
    JsonObject issued = Batches.awaitCredential(app, key, batchId);
    JsonObject credential = issued.getJsonObject("credential");

    JsonObject valid = verify(credential);
    assertThat(valid.getJsonArray("errors")).as("%s", valid).isEmpty();
    assertThat(check(valid, "valid_signature")).as("%s", valid).isTrue();
    assertThat(check(valid, "expiration")).as("%s", valid).isTrue();
    assertThat(check(valid, "revocation_status")).as("%s", valid).isTrue();
    JsonArray schema = valid.getJsonArray("schema");
    assertThat(schema).as("schema check %s", valid.getValue("schema")).isNotNull().isNotEmpty();
    assertThat(schema.getJsonObject(0).getBoolean("valid")).as("%s", schema).isTrue();
    assertThat(valid.getJsonArray("refused")).as("URLs fetched outside loopback").isEmpty();

    app.post("/v1/credentials/" + issued.getString("id") + "/revoke", key, "{}").assertStatus(200);
    JsonObject revoked = verify(credential);
    assertThat(check(revoked, "valid_signature")).as("%s", revoked).isTrue();
    assertThat(check(revoked, "revocation_status")).as("%s", revoked).isFalse();
    assertThat(revoked.getJsonArray("refused")).isEmpty();

    JsonObject tampered = credential.copy();
    tampered.getJsonObject("credentialSubject").getJsonObject("achievement")
        .put("name", "Welding Level 9");
    JsonObject rejected = verify(tampered);
    boolean signatureFailed = !rejected.getJsonArray("errors").isEmpty()
        || Boolean.FALSE.equals(checkOrNull(rejected, "valid_signature"));
    assertThat(signatureFailed).as("tampered: %s", rejected).isTrue();
  }

  private static JsonObject verify(JsonObject credential) throws Exception {
    Path file = Files.createTempFile("dcc", ".json");
    Files.writeString(file, new JsonObject().put("credential", credential).encode());
    URI status = URI.create(credential.getJsonObject("credentialStatus")
        .getString("statusListCredential"));
    String base = status.getScheme() + "://" + status.getHost() + ":" + status.getPort();
    return new NodeVerifier().run("verifier-core.mjs", Map.of(), Duration.ofSeconds(120),
        file.toString(), base);
  }

  private static boolean check(JsonObject result, String id) {
    Boolean valid = checkOrNull(result, id);
    assertThat(valid).as("check %s in %s", id, result).isNotNull();
    return valid;
  }

  private static Boolean checkOrNull(JsonObject result, String id) {
    for (Object entry : result.getJsonArray("log")) {
      JsonObject check = (JsonObject) entry;
      if (id.equals(check.getString("id"))) {
        return check.getBoolean("valid");
      }
    }
    return null;
  }
}
