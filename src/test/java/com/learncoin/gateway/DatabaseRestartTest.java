package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.http.FailureHandler;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.CapturedLogs;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.Load.Outcome;
import com.learncoin.gateway.support.Load;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway on a PostgreSQL of its own (the shared test server must stay up for other classes),
 * on a fixed port and data directory, so the restarted server is the same one at the same address.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("PostgreSQL restarted under load")
class DatabaseRestartTest {
  private static final long OUTAGE_MILLIS = 6_000;

  @Test
  @DisplayName("meanwhile every request gets a 500 internal_error (ready: 503); afterwards the same "
      + "gateway serves again, hears changes, writes the audit log and anchors every batch")
  void restartUnderLoad(Vertx vertx) throws Exception {
    Path data = Files.createTempDirectory("learncoin-pg");
    int port = freePort();
    EmbeddedPostgres pg = postgres(data, port);
    String jdbc = "jdbc:postgresql://localhost:" + port + "/postgres";
    TestGateway app = TestGateway.start(vertx, Map.of("LEARNCOIN_DB_URL",
        "postgresql://postgres:postgres@localhost:" + port + "/postgres"));
    AtomicInteger resets = new AtomicInteger();
    app.gateway().services().changes().onReset(resets::incrementAndGet);
    CapturedLogs logs = new CapturedLogs();
    try {
      String key = app.newTestKey("industry");
      String seed = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202).json()
          .getString("id");
      AtomicInteger calls = new AtomicInteger();
      Load load = Load.start(4, client -> switch (client) {
        case 0 -> new Load.Call("ready", () -> app.send("GET", "/health/ready", null));
        // Batch posts now and then: each must be anchored before the test ends.
        case 1 -> calls.incrementAndGet() % 4 == 0
            ? new Load.Call("post", () -> app.post("/v1/batches", key, Batches.of(2).encode(),
                "Idempotency-Key", UUID.randomUUID().toString()))
            : new Load.Call("read", () -> app.get("/v1/batches/" + seed, key));
        default -> new Load.Call("read", () -> app.get("/v1/batches/" + seed, key));
      });
      Load.pause(2_000);
      pg.close();
      long down = System.nanoTime();
      Load.pause(OUTAGE_MILLIS);
      long up = System.nanoTime();
      pg = postgres(data, port);
      Outcome recovered = Eventually.await("a read succeeding after the restart",
          Duration.ofSeconds(30), () -> load.outcomes(o -> o.startedAfter(up) && o.answered()
              && o.what().equals("read") && o.reply().status() == 200).stream().findFirst());
      long recovery = recovered.endedNanos();
      Load.pause(3_000);
      load.close();

      List<Outcome> during = load.outcomes(o -> o.within(down, up));
      System.out.printf("PostgreSQL outage: %d requests answered %s; recovered %d ms after the "
          + "start; %d requests after%n", during.size(), statuses(during),
          (recovery - up) / 1_000_000, load.outcomes(o -> o.startedAfter(recovery)).size());
      assertThat(during).as("requests during the outage").hasSizeGreaterThan(20);
      for (Outcome o : during) {
        assertThat(o.answered()).as("answered: %s", o).isTrue();
        if (o.what().equals("ready")) {
          o.reply().assertError(503, "service_unavailable");
        } else {
          o.reply().assertError(500, "internal_error");
        }
      }
      // One WARN line per failed request, without a stack trace: an outage must not flood logs.
      assertThat(logs.json().stream().filter(line -> line.getString("logger")
          .equals(FailureHandler.class.getName())).toList())
          .as("failure lines during the outage").isNotEmpty()
          .allSatisfy(line -> {
            assertThat(line.getString("level")).isEqualTo("WARN");
            assertThat(line.getString("message")).contains("PostgreSQL unavailable");
            assertThat(line.containsKey("stack_trace")).isFalse();
          });
      List<Outcome> after = load.outcomes(o -> o.startedAfter(recovery));
      assertThat(after).as("requests after recovery").hasSizeGreaterThan(20)
          .allSatisfy(o -> assertThat(o.answered() && o.reply().status() < 300).as("%s", o)
              .isTrue());

      // The change feed listens again: a key revoked now is refused at once, cache or not.
      assertThat(resets.get()).as("caches told to forget after the reconnect").isPositive();
      JsonObject revoked = app.key(app.tenant("industry"), "test");
      app.get("/v1/batches/" + seed, revoked.getString("key")).assertStatus(404);
      app.admin("POST", "/admin/v1/keys/" + revoked.getString("id") + "/revoke", null)
          .assertStatus(200);
      Eventually.await("the revocation heard over LISTEN", Duration.ofSeconds(10),
          () -> app.get("/v1/batches/" + seed, revoked.getString("key")).status() == 401);

      for (Outcome o : load.outcomes(o -> o.answered() && o.what().equals("post")
          && o.reply().status() == 202)) {
        Batches.awaitStatus(app, key, o.reply().json().getString("id"), "anchored");
      }
      Batches.awaitStatus(app, key, seed, "anchored");
      // The audit writer kept what it could not write during the outage and wrote it afterwards.
      List<String> requestIds = load.outcomes(Outcome::answered).stream()
          .map(o -> o.reply().header("X-Request-Id")).toList();
      assertThat(requestIds).allSatisfy(id -> assertThat(id).startsWith("req_"));
      Eventually.await("an audit row for each of " + requestIds.size() + " requests",
          Duration.ofSeconds(10), () -> audited(jdbc, requestIds) == requestIds.size());
    } finally {
      logs.close();
      app.close();
      pg.close();
    }
  }

  private static String statuses(List<Outcome> outcomes) {
    return outcomes.stream().collect(java.util.stream.Collectors.groupingBy(
        o -> o.answered() ? Integer.toString(o.reply().status()) : "no answer",
        java.util.TreeMap::new, java.util.stream.Collectors.counting())).toString();
  }

  private static EmbeddedPostgres postgres(Path data, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
        .setPort(port).start();
  }

  private static long audited(String jdbc, List<String> requestIds) {
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
         PreparedStatement s = c.prepareStatement(
             "SELECT count(*) FROM audit_log WHERE request_id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("text", requestIds.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
