package com.learncoin.gateway.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run (started once, stopped at JVM exit); each test class
 * gets a database of its own, reached through {@code LEARNCOIN_DB_URL} as a user would.
 */
public final class TestDatabase {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabase() {}

  public static synchronized String createDatabase() {
    String name = "test_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "postgres");
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  public static String url(String database) {
    return "postgresql://postgres:postgres@localhost:" + server().getPort() + "/" + database;
  }

  public static String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is exiting; the temporary data directory goes with it
        }
      }));
    }
    return server;
  }

  /** "table.column" for every text, json, jsonb and array column, ":bytea" marked, of the schema. */
  public static java.util.List<String> textColumns(TestGateway app) {
    java.util.List<String> columns = new java.util.ArrayList<>();
    long count = app.queryLong("""
        SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'
           AND data_type IN ('text', 'json', 'jsonb', 'bytea', 'ARRAY', 'character varying')""");
    for (int i = 0; i < count; i++) {
      columns.add(app.queryText("""
          SELECT table_name || '.' || column_name || CASE WHEN data_type = 'bytea' THEN ':bytea'
                 ELSE '' END
            FROM information_schema.columns WHERE table_schema = 'public'
             AND data_type IN ('text', 'json', 'jsonb', 'bytea', 'ARRAY', 'character varying')
           ORDER BY table_name, column_name OFFSET ? LIMIT 1""", i));
    }
    return columns;
  }
}
