package com.learncoin.gateway.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;

/** Telling "PostgreSQL is away for now" apart from "this statement is wrong". */
public final class DatabaseErrors {
  private static final String UNIQUE_VIOLATION = "23505";

  private DatabaseErrors() {}

  /** The row is already there (SQLSTATE 23505). */
  public static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  /**
   * A lost, reset or refused connection, a server shutting down or restarting (SQLSTATE classes 08 and
   * 57P), or no pooled connection free in time: the same work succeeds once PostgreSQL is back.
   */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClosedConnectionException || t instanceof SocketException) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && message.startsWith("Timeout waiting for connection")) {
        return true;
      }
    }
    return false;
  }
}
