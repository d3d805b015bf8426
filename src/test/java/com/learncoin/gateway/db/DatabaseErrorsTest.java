package com.learncoin.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A PostgreSQL failure is told apart: away for now, or a wrong statement")
class DatabaseErrorsTest {
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(TestDatabase.url(TestDatabase.createDatabase())))
        .using(vertx).build();
  }

  @AfterAll
  static void close() {
    pool.close();
    vertx.close();
  }

  @Test
  @DisplayName("a connection the server closed mid-statement is 'away for now'")
  void terminatedBackend() {
    Throwable failure = failureOf(pool.query("SELECT pg_terminate_backend(pg_backend_pid())")
        .execute().mapEmpty());
    assertThat(DatabaseErrors.isUnavailable(failure)).as(failure.toString()).isTrue();
  }

  @Test
  @DisplayName("a refused connection is 'away for now'")
  void refused() {
    Pool nowhere = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1")
        .setPort(1).setUser("postgres").setPassword("postgres")).using(vertx).build();
    try {
      Throwable failure = failureOf(nowhere.query("SELECT 1").execute().mapEmpty());
      assertThat(DatabaseErrors.isUnavailable(failure)).as(failure.toString()).isTrue();
    } finally {
      nowhere.close();
    }
  }

  @Test
  @DisplayName("a syntax error or a constraint violation is not")
  void statementErrors() {
    assertThat(DatabaseErrors.isUnavailable(failureOf(pool.query("SELEC 1").execute().mapEmpty())))
        .isFalse();
    assertThat(DatabaseErrors.isUnavailable(failureOf(pool.query("SELECT 1/0").execute()
        .mapEmpty()))).isFalse();
    assertThat(DatabaseErrors.isUnavailable(new IllegalStateException("boom"))).isFalse();
  }

  private static Throwable failureOf(Future<Void> future) {
    try {
      future.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
