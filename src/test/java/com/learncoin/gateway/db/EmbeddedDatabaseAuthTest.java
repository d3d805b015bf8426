package com.learncoin.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.config.ConfigLoader;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 8: the embedded PostgreSQL trusted every local connection (superuser, no
 * password), so any local user could read webhook secrets or run {@code COPY ... TO PROGRAM}.
 */
@DisplayName("The embedded PostgreSQL asks every connection for its generated password")
class EmbeddedDatabaseAuthTest {
  @TempDir
  Path dataDir;

  @Test
  @DisplayName("a fresh data directory: no password or a wrong one is refused, the generated one "
      + "(a 0600 file) is accepted, no host or local line trusts, and a restart reuses it")
  void freshDataDirectory() throws Exception {
    try (Database database = open()) {
      PgConnectOptions o = database.connectOptions();
      assertRefused(o, null);
      assertRefused(o, "postgres");
      assertThat(query(o, o.getPassword(), "SELECT current_user")).isEqualTo("postgres");
      assertThat(query(o, o.getPassword(), "SHOW password_encryption")).isEqualTo("scram-sha-256");
    }
    Path file = dataDir.resolve("postgres-password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file).trim()).hasSizeGreaterThanOrEqualTo(32);
    assertNoTrust();
    try (Database again = open()) {
      PgConnectOptions o = again.connectOptions();
      assertThat(o.getPassword()).isEqualTo(Files.readString(file).trim());
      assertThat(query(o, o.getPassword(), "SELECT 1")).isEqualTo("1");
      assertRefused(o, null);
    }
  }

  @Test
  @DisplayName("the Unix socket lives in the data directory (owner only), not in /tmp")
  void socketInDataDirectory() throws Exception {
    try (Database database = open()) {
      int port = database.connectOptions().getPort();
      Path pg = dataDir.resolve("postgres");
      assertThat(pg.resolve(".s.PGSQL." + port)).exists();
      assertThat(Path.of("/tmp/.s.PGSQL." + port)).doesNotExist();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pg)))
          .isEqualTo("rwx------");
    }
  }

  @Test
  @DisplayName("a data directory created with trust (before this fix) is upgraded on start: its "
      + "data kept, the password set, trust gone; and it starts again afterwards")
  void upgradesTrustDataDirectory() throws Exception {
    Path pg = dataDir.resolve("postgres");
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pg)
        .setCleanDataDirectory(false).start();
         Connection c = old.getPostgresDatabase().getConnection();
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the upgrade')");
    }
    assertThat(Files.readString(pg.resolve("pg_hba.conf"))).containsPattern("(?m)^host.*trust");

    try (Database database = open()) {
      PgConnectOptions o = database.connectOptions();
      assertRefused(o, null);
      assertThat(query(o, o.getPassword(), "SELECT v FROM kept")).isEqualTo("before the upgrade");
    }
    assertNoTrust();
    try (Database again = open()) {
      PgConnectOptions o = again.connectOptions();
      assertRefused(o, null);
      assertThat(query(o, o.getPassword(), "SELECT v FROM kept")).isEqualTo("before the upgrade");
    }
  }

  private Database open() {
    return Database.open(ConfigLoader.load(Map.of("LEARNCOIN_DATA_DIR", dataDir.toString())));
  }

  private void assertNoTrust() throws Exception {
    String hba = Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf"));
    assertThat(hba.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
        .isNotEmpty().allSatisfy(l -> assertThat(l).endsWith("scram-sha-256"));
  }

  /**
   * Both loopback addresses, which pg_hba.conf trusted; where the server does not listen on ::1
   * (no IPv6 on the machine) that one is refused before authentication.
   */
  private static void assertRefused(PgConnectOptions o, String password) {
    for (String host : new String[] {"127.0.0.1", "[::1]"}) {
      if (host.equals("[::1]") && !listening("::1", o.getPort())) {
        continue;
      }
      assertThatThrownBy(() -> {
        try (Connection c = connect(host, o.getPort(), password)) {
          c.createStatement().execute("SELECT 1");
        }
      }).as("%s without the right password", host).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState())
              .as("refused by authentication: %s", e.getMessage()).isIn("28P01", "08004"));
    }
  }

  private static boolean listening(String host, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(host, port), 1_000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String query(PgConnectOptions o, String password, String sql)
      throws SQLException {
    try (Connection c = connect("127.0.0.1", o.getPort(), password);
         ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection connect(String host, int port, String password) throws SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", "postgres");
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres",
        props);
  }
}
