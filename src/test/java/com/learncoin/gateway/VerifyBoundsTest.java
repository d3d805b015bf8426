package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.credential.TestCredentials;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RDFC-1.0 is exponential in blank nodes told apart only by their links to each other: a 2 KB
 * credential whose subject is a clique of n blank nodes took 0.13 s at n=6, 3.8 s at n=8 and
 * ~35 s at n=9, on the shared worker pool, after its client had gone. Verification now counts
 * and stops that work and answers 400; the rest of the gateway keeps answering meanwhile.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("POST /v1/verify bounds canonicalization: hostile blank nodes get a fast 400")
class VerifyBoundsTest {
  private static final int MAX_BLANK_NODES = 20;

  private static TestGateway app;
  private static String key;
  /** A signed credential of ours, as GET /v1/credentials/{id} returns it. */
  private static JsonObject issued;

  @BeforeAll
  static void start(Vertx vertx) {
    app = TestGateway.start(vertx, Map.of(
        "LEARNCOIN_VERIFY_MAX_BLANK_NODES", String.valueOf(MAX_BLANK_NODES),
        "LEARNCOIN_VERIFY_THREADS", "2"));
    key = app.key(app.tenant("industry"), "test").getString("key");
    String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202)
        .json().getString("id");
    String id = Batches.awaitCredential(app, key, batchId).getString("id");
    issued = app.get("/v1/credentials/" + id, key).assertStatus(200).json();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** Our credential, proof and all, with its subject replaced by a clique of n blank nodes. */
  private static JsonObject clique(int n) {
    JsonArray nodes = TestCredentials.blankNodeClique(n);
    return issued.getJsonObject("credential").copy().put("credentialSubject", nodes);
  }

  private static Reply verify(JsonObject vc) {
    return app.post("/v1/verify", key, new JsonObject().put("credential", vc).encode());
  }

  @ParameterizedTest(name = "a clique of {0} blank nodes")
  @ValueSource(ints = {7, 8, 9, 10, 11, 12})
  @DisplayName("a clique of 7..12 blank nodes ends within seconds with 400 invalid_field_format")
  void cliqueIsRefused(int n) {
    long started = System.nanoTime();
    JsonObject error = verify(clique(n)).assertError(400, "invalid_field_format");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    assertThat(error.getString("message")).startsWith("credential ").contains("at most");
  }

  @Test
  @DisplayName("more blank nodes than LEARNCOIN_VERIFY_MAX_BLANK_NODES: 400 naming the count")
  void tooManyBlankNodes() {
    JsonObject vc = issued.getJsonObject("credential").copy();
    JsonArray alignments = new JsonArray();
    for (int i = 0; i < 30; i++) {
      alignments.add(new JsonObject().put("type", new JsonArray().add("Alignment"))
          .put("targetName", "skill " + i).put("targetUrl", "https://example.org/skills/" + i)
          .put("targetFramework", "ESCO"));
    }
    vc.getJsonObject("credentialSubject").getJsonObject("achievement")
        .put("alignment", alignments);
    JsonObject error = verify(vc).assertError(400, "invalid_field_format");
    assertThat(error.getString("message"))
        .matches("credential has 3\\d blank nodes; at most " + MAX_BLANK_NODES
            + " are verified\\.");
  }

  @Test
  @DisplayName("while poison requests run, /health/live and reads answer, and then verify works")
  void othersKeepAnswering() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      List<Future<Reply>> poison = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        poison.add(clients.submit(() -> verify(clique(12))));
      }
      Thread.sleep(200);
      for (int i = 0; i < 5; i++) {
        long started = System.nanoTime();
        app.send("GET", "/health/live", null).assertStatus(200);
        app.get("/v1/credentials/" + issued.getString("id"), key).assertStatus(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(Duration.ofSeconds(2));
        Thread.sleep(100);
      }
      for (Future<Reply> reply : poison) {
        reply.get(60, TimeUnit.SECONDS).assertError(400, "invalid_field_format");
      }
    } finally {
      clients.shutdownNow();
    }
    JsonObject report = verify(issued.getJsonObject("credential")).assertStatus(200).json();
    assertThat(report.getBoolean("verified")).as(report.encode()).isTrue();
  }
}
