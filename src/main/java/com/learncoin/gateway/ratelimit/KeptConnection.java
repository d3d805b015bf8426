package com.learncoin.gateway.ratelimit;

import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGPooledConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The rate limiter's JDBC connection to PostgreSQL, one per limiter thread: kept open between
 * calls (a sync every few hundred milliseconds should not pay a login each time) and reopened
 * after a failure. Used by one thread only; Bucket4j closes what it gets, which hands the
 * connection back here instead of closing it.
 */
final class KeptConnection extends PGSimpleDataSource {
  private static final int CONNECT_TIMEOUT_SECONDS = 2;
  private static final int SOCKET_TIMEOUT_SECONDS = 5;

  private transient PGPooledConnection kept;

  KeptConnection(PgConnectOptions database, String applicationName) {
    setServerNames(new String[] {database.getHost()});
    setPortNumbers(new int[] {database.getPort()});
    setDatabaseName(database.getDatabase());
    setUser(database.getUser());
    setPassword(database.getPassword());
    setSslMode(database.getSslMode().value);
    setApplicationName(applicationName);
    setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
    setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
    setTcpKeepAlive(true);
    // A bucket is rebuilt by its refill within a minute: no commit waits on a disk flush. A row
    // locked elsewhere or a stalled server fails the call within seconds (the node then limits
    // alone) instead of holding the limiter's thread.
    setOptions("-c synchronous_commit=off -c lock_timeout=1000 -c statement_timeout=2000");
  }

  @Override
  public synchronized Connection getConnection() throws SQLException {
    if (kept == null) {
      kept = new PGPooledConnection(super.getConnection(), true);
    }
    return kept.getConnection();
  }

  /** After a failure: whatever state the connection is in, the next call starts on a new one. */
  synchronized void discard() {
    if (kept != null) {
      try {
        kept.close();
      } catch (SQLException e) {
        // it is being dropped because it failed
      }
      kept = null;
    }
  }
}
