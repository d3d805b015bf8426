package com.learncoin.gateway.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node what changed, so each can drop its cached copies at once: a change is
 * announced with NOTIFY inside the changing transaction (delivered only if it commits) and heard
 * over one LISTEN connection per node. Caches hold entries for minutes because of it, so a change
 * missed must not stay missed: when that connection is lost, or found dead (a check on it every
 * {@link #CHECK_MILLIS} goes unanswered for {@link #ANSWER_MILLIS}), listeners are told to forget
 * everything, again at every check while it is down, and once more when it listens again. So no
 * cached copy outlives a change by more than about four seconds (docs/operations.md).
 */
public final class ChangeFeed {
  public static final String API_KEYS = "learncoin_api_keys";
  public static final String TENANTS = "learncoin_tenants";
  public static final String USAGE = "learncoin_usage";
  public static final String SIGNING_KEYS = "learncoin_signing_keys";
  /** A credential was erased: payload the tenant id, whose cached idempotent answers go. */
  public static final String ERASURES = "learncoin_erasures";
  /** The LISTEN connection's application_name. */
  public static final String NAME = "learncoin-change-feed";
  static final long CHECK_MILLIS = 1_000;
  static final long ANSWER_MILLIS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  private final Vertx vertx;
  private final PgSubscriber subscriber;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final List<Runnable> resets = new CopyOnWriteArrayList<>();
  /** The check under way, unanswered so far, and on which connection. */
  private final AtomicReference<Check> check = new AtomicReference<>();
  private final AtomicBoolean lost = new AtomicBoolean();
  private long timer = -1;

  private record Check(PgConnection connection, long sentNanos) {}

  private ChangeFeed(Vertx vertx, PgSubscriber subscriber) {
    this.vertx = vertx;
    this.subscriber = subscriber;
  }

  public static Future<ChangeFeed> start(Vertx vertx, PgConnectOptions options) {
    // Named, so an operator (and a test) can tell it from the pool's connections in pg_stat_activity.
    PgConnectOptions named = new PgConnectOptions(options).addProperty("application_name", NAME);
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, named).reconnectPolicy(retries -> 250L);
    ChangeFeed feed = new ChangeFeed(vertx, subscriber);
    for (String channel : List.of(API_KEYS, TENANTS, USAGE, SIGNING_KEYS, ERASURES)) {
      PgChannel listening = subscriber.channel(channel);
      if (channel.equals(API_KEYS)) {
        // With a reconnect policy the subscriber never calls its closeHandler on a lost
        // connection; it reconnects, LISTENs again, then calls the channels' subscribe handlers.
        // That is the moment to forget: changes from here on are heard, earlier ones may be lost.
        listening.subscribeHandler(v -> feed.listening());
      }
      listening.handler(payload ->
          feed.listeners.getOrDefault(channel, List.of()).forEach(l -> l.accept(payload)));
    }
    return subscriber.connect().map(v -> {
      feed.timer = vertx.setPeriodic(CHECK_MILLIS, id -> feed.check());
      return feed;
    });
  }

  public void on(String channel, Consumer<String> listener) {
    listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /** Called when changes may have been missed (the LISTEN connection was lost or went silent). */
  public void onReset(Runnable forgetEverything) {
    resets.add(forgetEverything);
  }

  public static Future<Void> announce(SqlClient tx, String channel, String payload) {
    return tx.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload))
        .mapEmpty();
  }

  private void listening() {
    resets.forEach(Runnable::run);
    if (lost.compareAndSet(true, false)) {
      LOG.info("Change feed listening again; cached keys and tenants were dropped");
    }
  }

  /** Every {@link #CHECK_MILLIS}: is the LISTEN connection there, and does it still answer? */
  private void check() {
    PgConnection connection = subscriber.actualConnection();
    if (connection == null) {
      lost("its connection is gone; reconnecting");
      return;
    }
    Check pending = check.get();
    if (pending != null && pending.connection() == connection) {
      if (System.nanoTime() - pending.sentNanos() > ANSWER_MILLIS * 1_000_000) {
        check.compareAndSet(pending, null);
        lost("its connection stopped answering; reconnecting");
        connection.close(); // the subscriber reconnects and LISTENs again
      }
      return;
    }
    Check sent = new Check(connection, System.nanoTime());
    check.set(sent);
    connection.query("SELECT 1").execute().onSuccess(rows -> check.compareAndSet(sent, null));
  }

  /** Nothing cached now can be trusted to hear of a change: forget it, at every check. */
  private void lost(String why) {
    if (lost.compareAndSet(false, true)) {
      LOG.warn("Change feed lost ({}): cached keys and tenants are dropped every {} ms until it "
          + "listens again", why, CHECK_MILLIS);
    }
    resets.forEach(Runnable::run);
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return subscriber.close();
  }
}
