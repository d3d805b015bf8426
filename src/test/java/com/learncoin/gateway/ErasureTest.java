package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestDatabase;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("POST /v1/credentials/{id}/erase removes the learner's personal data everywhere")
class ErasureTest {
  private static TestGateway app;
  @TenantKey private static String key;

  @Test
  @DisplayName("no column of any table holds the erased recipient id or name; the tombstone and "
      + "the batch's other receipts remain")
  void erase() {
    String recipient = "urn:uuid:" + UUID.randomUUID();
    String name = "Erasable Learner " + UUID.randomUUID();
    JsonObject batch = Batches.of(3);
    batch.getJsonArray("credentials").getJsonObject(1).put("recipient", new JsonObject()
        .put("id", recipient).put("name", name).put("email", "learner@example.org"));
    String batchId = app.post("/v1/batches", key, batch.encode(), "Idempotency-Key",
        UUID.randomUUID().toString()).assertStatus(202).json().getString("id");
    JsonObject anchored = Batches.awaitStatus(app, key, batchId, "anchored");
    List<JsonObject> credentials = credentials(batchId);
    String erasedId = credentials.get(1).getString("id");
    // A stored idempotent answer that names the learner: a revoke's.
    app.post("/v1/credentials/" + erasedId + "/revoke", key, null, "Idempotency-Key",
        UUID.randomUUID().toString()).assertStatus(200);
    assertThat(columnsContaining(recipient)).isNotEmpty();

    JsonObject tombstone = app.post("/v1/credentials/" + erasedId + "/erase", key, null)
        .assertStatus(200).json();
    assertThat(tombstone.getString("status")).isEqualTo("erased");
    assertThat(tombstone.getString("erased_at")).isNotNull();
    assertThat(tombstone.getString("revoked_at")).isNotNull();
    assertThat(tombstone.getValue("recipient_id")).isNull();
    assertThat(tombstone.getValue("credential")).isNull();
    assertThat(tombstone.getJsonObject("anchor").getString("leaf"))
        .isEqualTo(credentials.get(1).getJsonObject("anchor").getString("leaf"));

    assertThat(columnsContaining(recipient)).isEmpty();
    assertThat(columnsContaining(name)).isEmpty();
    assertThat(columnsContaining("learner@example.org")).isEmpty();

    byte[] root = MerkleTree.unhex(anchored.getJsonObject("anchor").getString("merkle_root"));
    for (JsonObject other : List.of(credentials.get(0), credentials.get(2))) {
      JsonObject read = app.get("/v1/credentials/" + other.getString("id"), key).assertStatus(200)
          .json();
      byte[] leaf = MerkleTree.sha256(read.getJsonObject("credential").encode()
          .getBytes(StandardCharsets.UTF_8));
      assertThat(MerkleTree.verify(leaf, read.getJsonObject("anchor").getJsonArray("path"), root))
          .isTrue();
    }
  }

  @Test
  @DisplayName("erased twice, or revoked after erasure, is 409 credential_already_erased")
  void erasedIsFinal() {
    String id = firstCredential();
    app.post("/v1/credentials/" + id + "/erase", key, null).assertStatus(200);
    app.post("/v1/credentials/" + id + "/erase", key, null).assertError(409, "credential_already_erased");
    app.post("/v1/credentials/" + id + "/revoke", key, null)
        .assertError(409, "credential_already_erased");
    app.post("/v1/credentials/" + id + "/erase", app.newTestKey("starter"), null)
        .assertError(403, "credential_not_owned");
  }

  @Test
  @DisplayName("a credential erased before its batch is signed is left out; the batch still anchors")
  void erasedWhilePending() {
    Reply posted = app.post("/v1/batches", key, Batches.of(2).encode()).assertStatus(202);
    String batchId = posted.json().getString("id");
    String id = credentials(batchId).get(0).getString("id");
    app.post("/v1/credentials/" + id + "/erase", key, null).assertStatus(200);
    Batches.awaitStatus(app, key, batchId, "anchored");
    JsonObject erased = app.get("/v1/credentials/" + id, key).assertStatus(200).json();
    assertThat(erased.getString("status")).isEqualTo("erased");
    assertThat(erased.getValue("credential")).isNull();
  }

  private static String firstCredential() {
    String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202).json()
        .getString("id");
    return credentials(batchId).get(0).getString("id");
  }

  private static List<JsonObject> credentials(String batchId) {
    List<JsonObject> all = new ArrayList<>();
    app.get("/v1/batches/" + batchId + "/credentials", key).assertStatus(200).json()
        .getJsonArray("data").forEach(c -> all.add((JsonObject) c));
    return all;
  }

  /** Every text-like column of every table, searched as text: "table.column" where found. */
  private static List<String> columnsContaining(String value) {
    List<String> found = new ArrayList<>();
    for (String column : TestDatabase.textColumns(app)) {
      String[] parts = column.split("\\.");
      String condition = column.endsWith(":bytea")
          ? "position(convert_to(?, 'UTF8') in " + parts[1].replace(":bytea", "") + ") > 0"
          : "position(? in " + parts[1] + "::text) > 0";
      long hits = app.queryLong("SELECT count(*) FROM " + parts[0] + " WHERE " + condition, value);
      if (hits > 0) {
        found.add(column);
      }
    }
    return found;
  }
}
