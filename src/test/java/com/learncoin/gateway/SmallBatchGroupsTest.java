package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.signing.Signers;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.CapturedLogs;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.FakeKms;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batches of one credential are signed many at a time (one lease, one query, one transaction):
 * each keeps its own tenant's key, its own root and its own fate.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Small batches signed together")
class SmallBatchGroupsTest {

  @Test
  @DisplayName("small batches that waited out a KMS outage are signed together, each with its "
      + "tenant's key; one that cannot be signed fails alone and its neighbours anchor")
  void oneBadBatchDoesNotFailItsNeighbours(Vertx vertx) {
    try (FakeKms kms = new FakeKms(); CapturedLogs logs = new CapturedLogs()) {
      TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_SIGNER", kms.keyVersionName()),
          new Gateway.Keys(config -> Signers.kmsSigning(kms.client(), kms.keyVersionName()),
              Chains::wallet));
      try {
        List<String> keys = List.of(app.newTestKey("industry"), app.newTestKey("industry"));
        // Each tenant's first batch makes its key (KMS up); the ones after wait for KMS.
        Map<String, String> issuers = new HashMap<>();
        for (String key : keys) {
          String id = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202)
              .json().getString("id");
          Batches.awaitStatus(app, key, id, "anchored");
          issuers.put(key, Batches.awaitCredential(app, key, id).getJsonObject("credential")
              .getJsonObject("issuer").getString("id"));
        }
        assertThat(issuers.get(keys.get(0))).isNotEqualTo(issuers.get(keys.get(1)));
        kms.mode(FakeKms.Mode.UNAVAILABLE);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          Reply reply = app.post("/v1/batches", keys.get(i % 2), Batches.of(1).encode());
          assertThat(reply.status()).isIn(202, 422);
          ids.add(reply.header("Location").substring("/v1/batches/".length()));
        }
        Eventually.await("every batch tried and waiting for KMS", Duration.ofSeconds(60),
            () -> app.queryLong("SELECT count(*) FROM batches WHERE id = ANY(?) AND "
                + "last_error ->> 'code' = 'signing_key_unavailable'", (Object) ids.toArray(
                    String[]::new)) == ids.size());
        String bad = ids.get(3);
        // A credential the signer cannot build (no recipient): an unexpected failure, not an outage.
        app.execute("UPDATE credentials SET input = '{}'::jsonb WHERE batch_id = '" + bad + "'");
        kms.mode(FakeKms.Mode.OK);
        app.execute("UPDATE batches SET next_attempt_at = now() WHERE status IN ('queued', 'signing')");

        for (int i = 0; i < ids.size(); i++) {
          if (i == 3) {
            continue;
          }
          String key = keys.get(i % 2);
          Batches.awaitStatus(app, key, ids.get(i), "anchored");
          JsonObject vc = Batches.awaitCredential(app, key, ids.get(i)).getJsonObject("credential");
          byte[] tenantKey = DidKey.publicKeyOf(vc.getJsonObject("issuer").getString("id"));
          assertThat(new DataIntegrityProofs().verify(vc, tenantKey).verified()).isTrue();
          assertThat(vc.getJsonObject("issuer").getString("id")).as("batch %d's issuer", i)
              .isEqualTo(issuers.get(key));
        }
        // Each neighbour signed at its first try after the outage: none failed with the bad one.
        List<String> unexpected = logs.lines().stream()
            .filter(line -> line.contains("step failed unexpectedly")).toList();
        assertThat(unexpected).isNotEmpty().allMatch(line -> line.contains(bad));
        JsonObject failing = app.get("/v1/batches/" + bad, keys.get(1)).assertStatus(200).json();
        assertThat(failing.getString("status")).isIn("signing", "failed");
        assertThat(failing.getJsonObject("last_error").getString("code")).isEqualTo("internal_error");
        assertThat(app.queryLong("SELECT count(DISTINCT merkle_root) FROM batches WHERE id = ANY(?)",
            (Object) ids.toArray(String[]::new))).as("a root per batch").isEqualTo(ids.size() - 1);
      } finally {
        app.close();
      }
    }
  }
}
