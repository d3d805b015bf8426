package com.learncoin.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.config.ConfigLoader;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The embedded PostgreSQL of the default run")
class EmbeddedDatabaseTest {
  @TempDir
  Path dataDir;

  @Test
  @DisplayName("commits synchronously, so an acknowledged write survives a power cut")
  void synchronousCommit() throws Exception {
    try (Database database = open()) {
      assertThat(query(database.connectOptions(), "SHOW synchronous_commit")).isEqualTo("on");
    }
  }

  private Database open() {
    return Database.open(ConfigLoader.load(Map.of("LEARNCOIN_DATA_DIR", dataDir.toString())));
  }

  private static String query(PgConnectOptions options, String sql) throws SQLException {
    try (Connection c = connect(options); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection connect(PgConnectOptions o) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/"
        + o.getDatabase(), o.getUser(), o.getPassword());
  }
}
