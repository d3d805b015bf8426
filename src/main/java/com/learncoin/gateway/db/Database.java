package com.learncoin.gateway.db;

import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.process.LeftoverProcess;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the data lives: the PostgreSQL at {@code LEARNCOIN_DB_URL}, or an embedded one kept under
 * the data directory. Opening and migrating block, so callers run them on a worker thread.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** Waiters allowed per connection: a fraction of a second of work at full speed, not a backlog. */
  static final int WAIT_QUEUE_PER_CONNECTION = 64;

  private final Optional<EmbeddedPostgres> embedded;
  private final PgConnectOptions connectOptions;

  private Database(Optional<EmbeddedPostgres> embedded, PgConnectOptions connectOptions) {
    this.embedded = embedded;
    this.connectOptions = connectOptions;
  }

  public static Database open(Config config) {
    if (config.dbUrl().isPresent()) {
      return new Database(Optional.empty(), PgConnectOptions.fromUri(config.dbUrl().get()));
    }
    Path dir = config.dataDir().resolve("postgres");
    try {
      Files.createDirectories(dir);
      LeftoverProcess.stop(dir.resolve("postmaster.pid"), "postgres");
      Path passwordFile = EmbeddedAuth.passwordFile(config.dataDir());
      String password = EmbeddedAuth.password(passwordFile);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          // zonky turns this off for test speed; an acknowledged batch must survive a power cut.
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("unix_socket_directories", EmbeddedAuth.socketDirectory(dir))
          // zonky's readiness check logs in as the superuser too
          .setConnectConfig("password", password)
          // Stopped by close(), after the audit log is flushed, not by a hook racing the flush.
          .setRegisterShutdownHook(false);
      if (!Files.exists(dir.resolve("PG_VERSION"))) {
        // zonky's initdb runs "-A trust"; these later options win, so no moment without a password.
        builder.setLocaleConfig("auth-host", "scram-sha-256")
            .setLocaleConfig("auth-local", "scram-sha-256")
            .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString());
      }
      EmbeddedPostgres pg = builder.start();
      if (EmbeddedAuth.trusts(dir)) {
        EmbeddedAuth.upgrade(pg, dir, password);
      }
      LOG.info("Embedded PostgreSQL on 127.0.0.1:{}, data in {}", pg.getPort(), dir);
      return new Database(Optional.of(pg), new PgConnectOptions()
          .setHost("localhost").setPort(pg.getPort())
          .setDatabase("postgres").setUser("postgres").setPassword(password));
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start in " + dir, e);
    }
  }

  public void migrate() {
    String jdbcUrl = "jdbc:postgresql://" + connectOptions.getHost() + ":" + connectOptions.getPort()
        + "/" + connectOptions.getDatabase();
    Flyway.configure()
        .dataSource(jdbcUrl, connectOptions.getUser(), connectOptions.getPassword())
        .load()
        .migrate();
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  /**
   * A query or transaction waits at most {@code connectionTimeoutMillis} for a connection, and at
   * most {@code size * WAIT_QUEUE_PER_CONNECTION} wait at once: past either it fails at once (500
   * {@code internal_error}, nothing committed) instead of queueing for the pool's default 30 s.
   */
  public Pool pool(Vertx vertx, int size, int connectionTimeoutMillis) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(size * WAIT_QUEUE_PER_CONNECTION)
            .setConnectionTimeout(connectionTimeoutMillis)
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .connectingTo(new PgConnectOptions(connectOptions).setPipeliningLimit(16)
            .setCachePreparedStatements(true))
        .using(vertx)
        .build();
  }

  @Override
  public void close() {
    embedded.ifPresent(pg -> {
      try {
        pg.close();
      } catch (IOException e) {
        LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
      }
    });
  }
}
