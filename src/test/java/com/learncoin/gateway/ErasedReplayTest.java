package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11, item 3: an erased learner's data must not come back through an idempotent replay,
 * from any node's cache, from the database after a restart, or from an answer whose record was
 * written after the erasure's scrub.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Erased learner data never returns through an idempotent replay")
class ErasedReplayTest {
  private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(8);
  private static TestGateway nodeA;
  private static TestGateway nodeB;
  private static String tenant;
  private static String key;

  @BeforeAll
  static void start(Vertx vertx) {
    nodeA = TestGateway.start(vertx);
    nodeB = nodeA.anotherNode();
    tenant = nodeA.tenant("industry");
    key = nodeA.key(tenant, "test").getString("key");
  }

  @AfterAll
  static void stop() {
    CLIENTS.shutdownNow();
    nodeB.close();
    nodeA.close();
  }

  @Test
  @DisplayName("revoke with K, erase, revoke with K again: 409 credential_already_erased on this "
      + "node, on the other node (whose cache held the answer) and after a restart")
  void replayAfterErase() {
    JsonObject credential = newCredential();
    String id = credential.getString("id");
    String recipient = credential.getString("recipient_id");
    String idem = UUID.randomUUID().toString();
    Reply revoked = revoke(nodeA, id, idem).assertStatus(200);
    assertThat(revoked.text()).contains(recipient);
    // Both nodes now hold the answer in their fast path.
    assertThat(revoke(nodeA, id, idem).header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(revoke(nodeB, id, idem).header("Idempotent-Replayed")).isEqualTo("true");

    nodeA.post("/v1/credentials/" + id + "/erase", key, null).assertStatus(200);

    assertErasedEverywhere(id, idem, recipient);
  }

  @Test
  @DisplayName("a revoke's answer whose record would be written after the erasure's scrub is not "
      + "stored: no replay returns it, on either node or after a restart")
  void answerCompletedAfterScrub() throws Exception {
    JsonObject credential = newCredential();
    String id = credential.getString("id");
    String recipient = credential.getString("recipient_id");
    String idem = UUID.randomUUID().toString();
    CompletableFuture<Reply> revoking;
    try (Connection credentialLock = nodeA.jdbc(); Connection recordLock = nodeA.jdbc()) {
      // Hold the revoke after it claimed K, so that its record can be held in turn.
      credentialLock.setAutoCommit(false);
      lock(credentialLock, "SELECT 1 FROM credentials WHERE id = ? FOR UPDATE", id);
      revoking = CompletableFuture.supplyAsync(() -> revoke(nodeA, id, idem), CLIENTS);
      Eventually.await("the revoke's claim on K", Duration.ofSeconds(10), () -> nodeA.queryLong(
          "SELECT count(*) FROM idempotency_keys WHERE key = ?", idem) == 1);
      // The record can be written only when this lock goes: the revoke's answer is sent first.
      recordLock.setAutoCommit(false);
      lock(recordLock, "SELECT 1 FROM idempotency_keys WHERE key = ? FOR UPDATE", idem);
      credentialLock.commit();
      Reply revoked = revoking.get(30, TimeUnit.SECONDS).assertStatus(200);
      assertThat(revoked.text()).contains(recipient);
      // The erasure runs while the revoke's answer is still on its way to the database: today it
      // commits at once and the answer is written after its scrub; it may as well wait for the
      // answer's write (and then delete it), so the lock goes once it is done or waiting.
      CompletableFuture<Reply> erasing = CompletableFuture.supplyAsync(
          () -> nodeA.post("/v1/credentials/" + id + "/erase", key, null), CLIENTS);
      Eventually.await("the erasure done or waiting for a lock", Duration.ofSeconds(10), () ->
          erasing.isDone() || nodeA.queryLong("SELECT count(*) FROM pg_stat_activity "
              + "WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE OF c%'") > 0);
      recordLock.commit();
      erasing.get(30, TimeUnit.SECONDS).assertStatus(200);
    }
    awaitSettled(idem);

    assertErasedEverywhere(id, idem, recipient);
  }

  @Test
  @DisplayName("revoke and erase of one credential sent at once, 20 times: no stored answer "
      + "holds the erased recipient, no replay returns it")
  void racingRevokeAndErase() throws Exception {
    List<JsonObject> credentials = credentials(20);
    List<String> keys = new ArrayList<>();
    for (JsonObject credential : credentials) {
      String id = credential.getString("id");
      String idem = UUID.randomUUID().toString();
      keys.add(idem);
      CompletableFuture<Reply> revoke =
          CompletableFuture.supplyAsync(() -> revoke(nodeA, id, idem), CLIENTS);
      CompletableFuture<Reply> erase = CompletableFuture.supplyAsync(
          () -> nodeA.post("/v1/credentials/" + id + "/erase", key, null), CLIENTS);
      assertThat(revoke.get(30, TimeUnit.SECONDS).status()).isIn(200, 409);
      erase.get(30, TimeUnit.SECONDS).assertStatus(200);
    }
    for (int i = 0; i < credentials.size(); i++) {
      awaitSettled(keys.get(i));
      String recipient = credentials.get(i).getString("recipient_id");
      assertThat(storedAnswersContaining(recipient)).as("stored answers naming %s", recipient)
          .isZero();
      for (TestGateway node : List.of(nodeA, nodeB)) {
        Reply replay = revoke(node, credentials.get(i).getString("id"), keys.get(i));
        assertThat(replay.text()).doesNotContain(recipient);
      }
    }
  }

  private static void assertErasedEverywhere(String id, String idem, String recipient) {
    assertThat(storedAnswersContaining(recipient)).isZero();
    assertRunsAgain(revoke(nodeA, id, idem), recipient);
    // The other node learns of the erasure over the change feed (NOTIFY), not at once.
    Eventually.await("node B dropping its cached answer", Duration.ofSeconds(5),
        () -> revoke(nodeB, id, idem).status() == 409);
    assertRunsAgain(revoke(nodeB, id, idem), recipient);
    nodeA = nodeA.restart();
    assertRunsAgain(revoke(nodeA, id, idem), recipient);
  }

  /** The revoke ran again (or replays that later run's answer) and met the erasure. */
  private static void assertRunsAgain(Reply reply, String recipient) {
    assertThat(reply.text()).doesNotContain(recipient);
    reply.assertError(409, "credential_already_erased");
  }

  private static Reply revoke(TestGateway node, String id, String idem) {
    return node.post("/v1/credentials/" + id + "/revoke", key, null, "Idempotency-Key", idem);
  }

  private static long storedAnswersContaining(String text) {
    return nodeA.queryLong("SELECT count(*) FROM idempotency_keys WHERE tenant_id = ? AND "
        + "position(convert_to(?, 'UTF8') IN response_body) > 0", tenant, text);
  }

  /** Until the record of K is finished or gone: its answer's write has happened. */
  private static void awaitSettled(String idem) {
    Eventually.await("the record of " + idem + " settling", Duration.ofSeconds(10), () ->
        nodeA.queryLong("SELECT count(*) FROM idempotency_keys WHERE key = ? AND status IS NULL",
            idem) == 0);
  }

  private static void lock(Connection connection, String sql, String param) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, param);
      statement.executeQuery().close();
    }
  }

  private static JsonObject newCredential() {
    return credentials(1).get(0);
  }

  /** Credentials of a fresh batch (pending: revoke and erase need no signature). */
  private static List<JsonObject> credentials(int count) {
    String batchId = nodeA.post("/v1/batches", key, Batches.of(count).encode()).assertStatus(202)
        .json().getString("id");
    List<JsonObject> all = new ArrayList<>();
    nodeA.get("/v1/batches/" + batchId + "/credentials?limit=100", key).assertStatus(200).json()
        .getJsonArray("data").forEach(c -> all.add((JsonObject) c));
    return all;
  }
}
