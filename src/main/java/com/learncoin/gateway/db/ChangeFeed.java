package com.learncoin.gateway.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells every node what changed, so each can drop its cached copies at once: a change is
 * announced with NOTIFY inside the changing transaction (delivered only if it commits) and heard
 * over one LISTEN connection per node. When that connection drops, whatever changed meanwhile is
 * unknown, so listeners are told to forget everything once it is back and listening again.
 */
public final class ChangeFeed {
  public static final String API_KEYS = "learncoin_api_keys";
  public static final String TENANTS = "learncoin_tenants";
  public static final String USAGE = "learncoin_usage";
  public static final String SIGNING_KEYS = "learncoin_signing_keys";
  /** A credential was erased: payload the tenant id, whose cached idempotent answers go. */
  public static final String ERASURES = "learncoin_erasures";

  private final PgSubscriber subscriber;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final List<Runnable> resets = new CopyOnWriteArrayList<>();

  private ChangeFeed(PgSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  public static Future<ChangeFeed> start(Vertx vertx, PgConnectOptions options) {
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 250L);
    ChangeFeed feed = new ChangeFeed(subscriber);
    for (String channel : List.of(API_KEYS, TENANTS, USAGE, SIGNING_KEYS, ERASURES)) {
      PgChannel listening = subscriber.channel(channel);
      if (channel.equals(API_KEYS)) {
        // With a reconnect policy the subscriber never calls its closeHandler on a lost
        // connection; it reconnects, LISTENs again, then calls the channels' subscribe handlers.
        // That is the moment to forget: changes from here on are heard, earlier ones may be lost.
        listening.subscribeHandler(v -> feed.resets.forEach(Runnable::run));
      }
      listening.handler(payload ->
          feed.listeners.getOrDefault(channel, List.of()).forEach(l -> l.accept(payload)));
    }
    return subscriber.connect().map(feed);
  }

  public void on(String channel, Consumer<String> listener) {
    listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /** Called when changes may have been missed (the LISTEN connection was lost). */
  public void onReset(Runnable forgetEverything) {
    resets.add(forgetEverything);
  }

  public static Future<Void> announce(SqlClient tx, String channel, String payload) {
    return tx.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload))
        .mapEmpty();
  }

  public Future<Void> close() {
    return subscriber.close();
  }
}
