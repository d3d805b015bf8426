package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.signing.Signers;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.FakeKms;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("POST /credentials/issue while the signer is down: 422 signing_key_unavailable with Location, signed once it is back")
class VcApiOutageTest {

  @Test
  @DisplayName("not signed within the wait (then at once while the breaker is open): stored, queued, completed later")
  void signerOutage(Vertx vertx) {
    try (FakeKms kms = new FakeKms()) {
      TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_SIGNER", kms.keyVersionName()),
          new Gateway.Keys(config -> Signers.kmsSigning(kms.client(), kms.keyVersionName()),
              Chains::wallet));
      try {
        String key = app.newTestKey("industry");
        String body = new JsonObject().put("credential", VcApiIssueTest.credential()).encode();
        kms.mode(FakeKms.Mode.UNAVAILABLE);
        long started = System.nanoTime();
        Reply waited = app.post("/credentials/issue", key, body);
        JsonObject error = waited.assertError(422, "signing_key_unavailable");
        // The bound is the feature: the client hears within the wait, not when KMS returns.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        String first = waited.header("Location");
        assertThat(first).matches("/v1/credentials/cred_[0-9A-Z]{26}");
        assertThat(error.getString("message")).contains("was stored and queued")
            .contains("Do not resend it").contains(first);

        Reply refused = app.post("/credentials/issue", key, body);
        refused.assertError(422, "signing_key_unavailable");
        String second = refused.header("Location");
        assertThat(second).isNotEqualTo(first);
        assertThat(app.get(first, key).assertStatus(200).json().getValue("credential")).isNull();

        kms.mode(FakeKms.Mode.OK);
        for (String location : new String[] {first, second}) {
          JsonObject vc = Eventually.await(location + " signed", Duration.ofMinutes(2),
              () -> Optional.ofNullable(app.get(location, key).assertStatus(200).json()
                  .getJsonObject("credential")));
          JsonObject verified = app.post("/credentials/verify", key, new JsonObject()
              .put("verifiableCredential", vc).encode()).assertStatus(200).json();
          assertThat(verified.getBoolean("verified")).isTrue();
        }
        assertThat(app.post("/credentials/issue", key, body).assertStatus(201).json()
            .getJsonObject("verifiableCredential").getJsonArray("proof")).hasSize(1);
      } finally {
        app.close();
      }
    }
  }
}
