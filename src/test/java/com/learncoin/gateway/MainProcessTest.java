package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayLauncher;
import com.learncoin.gateway.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The process, as an operator starts it")
class MainProcessTest {

  @Test
  @DisplayName("invalid configuration stops start-up with exit code 2 and a one-line reason")
  void invalidConfiguration() throws Exception {
    Process process = java("run").with("LEARNCOIN_HTTP_PORT", "eighty").start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr).isEqualTo("learncoin: invalid configuration: LEARNCOIN_HTTP_PORT: expected an "
        + "integer 0..65535, got 'eighty'");
  }

  @Test
  @DisplayName("help lists the configuration variables")
  void help() throws Exception {
    Process process = java("help").start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isZero();
    assertThat(stdout).contains("LEARNCOIN_HTTP_PORT", "LEARNCOIN_DB_URL", "LEARNCOIN_SIGNER",
        "admin-token");
  }

  @Test
  @DisplayName("admin-token only reads: without a secret it exits 2 naming the data dir, and makes none")
  void adminTokenReadsOnly() throws Exception {
    java.nio.file.Path dataDir = Files.createTempDirectory("learncoin-empty");
    Process process = java("admin-token").with("LEARNCOIN_DATA_DIR", dataDir.toString()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr.trim()).startsWith("learncoin: no admin secret: ")
        .contains(dataDir.toAbsolutePath().resolve("admin-jwt-secret").toString());
    assertThat(process.getInputStream().readAllBytes()).isEmpty();
    assertThat(dataDir.resolve("admin-jwt-secret")).doesNotExist();
  }

  @Test
  @DisplayName("wallet prints the anchoring address per network without starting, and only reads")
  void walletCommand() throws Exception {
    java.nio.file.Path dataDir = Files.createTempDirectory("learncoin-wallet");
    Process missing = java("wallet").with("LEARNCOIN_DATA_DIR", dataDir.toString()).start();
    assertThat(missing.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(missing.exitValue()).isEqualTo(2);
    assertThat(stderr.trim()).startsWith("learncoin: no wallet yet: ")
        .contains(dataDir.toAbsolutePath().resolve("wallet.key").toString());
    assertThat(dataDir.resolve("wallet.key")).doesNotExist();

    String address = com.learncoin.gateway.anchoring.LocalWallet
        .loadOrCreate(dataDir.resolve("wallet.key")).address();
    Process wallet = java("wallet").with("LEARNCOIN_DATA_DIR", dataDir.toString())
        .with("LEARNCOIN_CHAIN_TEST_RPC", "http://127.0.0.1:9").start();
    assertThat(wallet.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stdout = new String(wallet.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(wallet.exitValue()).isZero();
    assertThat(stdout.lines()).hasSize(2);
    assertThat(stdout.lines().toList().get(0)).startsWith("base-sepolia").contains("84532", address,
        "via LEARNCOIN_CHAIN_TEST_RPC");
    assertThat(stdout.lines().toList().get(1)).startsWith("base").contains("8453 ", address,
        "not configured");
  }

  @Test
  @DisplayName("help and version work even when the configuration is invalid")
  void helpAndVersionIgnoreBadConfiguration() throws Exception {
    Process help = java("--help").with("LEARNCOIN_HTTP_PORT", "eighty").start();
    assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String helpText = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(help.exitValue()).isZero();
    assertThat(helpText).containsPattern("LEARNCOIN_HTTP_PORT +default: 8080")
        .containsPattern("LEARNCOIN_DB_URL +default: \\(unset\\)");

    Process version = java("version").with("LEARNCOIN_HTTP_PORT", "eighty").start();
    assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String versionText = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(version.exitValue()).isZero();
    assertThat(versionText).startsWith("learncoin-gateway 0.1.0-SNAPSHOT (commit ")
        .containsPattern("built \\d{4}-\\d{2}-\\d{2}T").doesNotContain("${");
  }

  @Test
  @DisplayName("the access line reaches stdout; SIGTERM stops accepting, flushes the audit log and exits")
  void gracefulShutdown() throws Exception {
    String database = TestDatabase.createDatabase();
    Process process = java("run")
        .with("LEARNCOIN_DB_URL", TestDatabase.url(database))
        .with("LEARNCOIN_HTTP_PORT", "0")
        .with("LEARNCOIN_DATA_DIR", Files.createTempDirectory("learncoin-main").toString())
        .with("LEARNCOIN_AUDIT_FLUSH_MILLIS", "60000")
        .start();
    List<String> stdout = new CopyOnWriteArrayList<>();
    try {
      int port = GatewayLauncher.awaitListening(process, stdout::add);
      HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).isEqualTo(200);
      String requestId = reply.headers().firstValue("X-Request-Id").orElseThrow();
      // The product's logback.xml: the batching appender writes the line within its interval.
      JsonObject access = Eventually.await("the access line of " + requestId,
          Duration.ofSeconds(10), () -> stdout.stream().filter(line -> line.contains(requestId)
              && line.contains("learncoin.access")).findFirst().map(JsonObject::new));
      assertThat(access.getString("route")).isEqualTo("/health/live");
      assertThat(access.getInteger("status")).isEqualTo(200);

      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(143);
      try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl(database), "postgres",
          "postgres"); ResultSet rs = c.createStatement().executeQuery(
              "SELECT status FROM audit_log WHERE request_id = '" + requestId + "'")) {
        assertThat(rs.next()).as("audit record written on shutdown").isTrue();
        assertThat(rs.getInt(1)).isEqualTo(200);
      }
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  @DisplayName("after kill -9, the next start stops the PostgreSQL and anvil left behind and keeps "
      + "the data")
  void restartAfterKill() throws Exception {
    Path dataDir = Files.createTempDirectory("learncoin-kill");
    Process first = java("run").with("LEARNCOIN_DATA_DIR", dataDir.toString())
        .with("LEARNCOIN_HTTP_PORT", "0").start();
    Process second = null;
    List<ProcessHandle> children = new ArrayList<>();
    try {
      String base = "http://127.0.0.1:" + awaitListening(first);
      Process minted = java("admin-token").with("LEARNCOIN_DATA_DIR", dataDir.toString()).start();
      assertThat(minted.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String admin = new String(minted.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .lines().filter(line -> line.startsWith("eyJ")).reduce((a, b) -> b).orElseThrow();
      JsonObject tenant = new JsonObject(send(base + "/admin/v1/tenants", admin,
          "{\"name\":\"Kill School\",\"plan\":\"starter\"}").body());
      String key = new JsonObject(send(base + "/admin/v1/tenants/" + tenant.getString("id") + "/keys",
          admin, "{\"environment\":\"test\"}").body()).getString("key");
      // pg_ctl detaches PostgreSQL from the gateway; its pid is in the data directory.
      children.addAll(first.descendants().toList());
      children.add(ProcessHandle.of(Long.parseLong(Files.readAllLines(
          dataDir.resolve("postgres/postmaster.pid")).get(0).trim())).orElseThrow());
      assertThat(children).extracting(c -> c.info().command().orElse(""))
          .anyMatch(c -> c.endsWith("/postgres")).anyMatch(c -> c.endsWith("/anvil"));

      first.destroyForcibly().waitFor();
      assertThat(children).allMatch(ProcessHandle::isAlive);

      second = java("run").with("LEARNCOIN_DATA_DIR", dataDir.toString())
          .with("LEARNCOIN_HTTP_PORT", "0").start();
      String again = "http://127.0.0.1:" + awaitListening(second);
      assertThat(children).noneMatch(ProcessHandle::isAlive);
      HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(again + "/v1/tenants/" + tenant.getString("id")))
          .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(read.body()).getString("name")).isEqualTo("Kill School");
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
      } else {
        children.forEach(ProcessHandle::destroy);
      }
    }
  }

  private static HttpResponse<String> send(String url, String bearer, String json) throws Exception {
    HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(url).isEqualTo(201);
    return reply;
  }

  private static GatewayLauncher java(String command) {
    return GatewayLauncher.java(command);
  }

  private static int awaitListening(Process process) throws Exception {
    return GatewayLauncher.awaitListening(process);
  }
}
