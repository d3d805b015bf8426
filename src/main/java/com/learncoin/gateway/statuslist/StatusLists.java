package com.learncoin.gateway.statuslist;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** What other features ask of the status lists: does one exist, and "a bit changed". */
public final class StatusLists {
  private static final String EXISTS = "SELECT 1 FROM status_lists WHERE id = $1";
  private static final String STALE = "UPDATE status_lists SET signed = NULL WHERE id = $1";

  private StatusLists() {}

  public static Future<Boolean> exists(SqlClient client, String listId) {
    return client.preparedQuery(EXISTS).execute(Tuple.of(listId)).map(rows -> rows.size() > 0);
  }

  /** A credential's bit changed: the signed list is dropped and re-signed on its next read. */
  public static Future<Void> markStale(SqlClient tx, String listId) {
    return tx.preparedQuery(STALE).execute(Tuple.of(listId)).mapEmpty();
  }
}
