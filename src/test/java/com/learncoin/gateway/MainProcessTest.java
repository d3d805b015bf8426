package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.GatewayProcess;
import com.learncoin.gateway.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.charset.StandardCharsets;
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
  @DisplayName("SIGTERM stops accepting, flushes the audit log and exits")
  void gracefulShutdown() throws Exception {
    String database = TestDatabase.createDatabase();
    Process process = java("run")
        .with("LEARNCOIN_DB_URL", TestDatabase.url(database))
        .with("LEARNCOIN_HTTP_PORT", "0")
        .with("LEARNCOIN_DATA_DIR", Files.createTempDirectory("learncoin-main").toString())
        .with("LEARNCOIN_AUDIT_FLUSH_MILLIS", "60000")
        .start();
    try {
      int port = awaitListening(process);
      HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).isEqualTo(200);
      String requestId = reply.headers().firstValue("X-Request-Id").orElseThrow();

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

  private static GatewayProcess java(String command) {
    return GatewayProcess.java(command);
  }

  private static int awaitListening(Process process) throws Exception {
    return GatewayProcess.awaitListening(process);
  }
}
