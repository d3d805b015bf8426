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
import java.util.concurrent.ThreadLocalRandom;
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
 *
 * <p>The same connection tells other nodes whether this one is alive: it holds a session advisory
 * lock ({@link #NODE_LOCK_CLASS}, {@link #nodeMark()}), which PostgreSQL releases the moment the
 * session ends, a killed process included. An idempotency claim names the mark, so a retry need
 * not wait out a dead node's claim.
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
  /** The first key of the node marks' advisory locks (the others in use: 7011, 7012). */
  public static final int NODE_LOCK_CLASS = 7013;
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  private final Vertx vertx;
  private final PgSubscriber subscriber;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final List<Runnable> resets = new CopyOnWriteArrayList<>();
  /** The check under way, unanswered so far, and on which connection. */
  private final AtomicReference<Check> check = new AtomicReference<>();
  private final AtomicBoolean lost = new AtomicBoolean();
  /** This node's mark and the LISTEN connection whose session holds its lock. */
  private final AtomicReference<Mark> mark = new AtomicReference<>();
  private long timer = -1;

  private record Check(PgConnection connection, long sentNanos) {}

  private record Mark(PgConnection connection, int value) {}

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
    return subscriber.connect().compose(v -> feed.holdMark()).map(v -> {
      feed.timer = vertx.setPeriodic(CHECK_MILLIS, id -> feed.check());
      return feed;
    });
  }

  /**
   * The mark this node holds now, for a claim to name; null while the LISTEN connection is down
   * (a claim made then falls back to the 60 s rule: no other node can tell whether this one lives).
   */
  public Integer nodeMark() {
    Mark held = mark.get();
    return held != null && held.value() >= 0 && !lost.get()
        && held.connection() == subscriber.actualConnection() ? held.value() : null;
  }

  /**
   * Takes a mark on the LISTEN connection (again after a reconnect: the old session's lock went
   * with it), once per connection however often it is asked.
   */
  private Future<Void> holdMark() {
    PgConnection connection = subscriber.actualConnection();
    Mark held = mark.get();
    Mark taking = new Mark(connection, -1);
    if (connection == null || held != null && held.connection() == connection
        || !mark.compareAndSet(held, taking)) {
      return Future.succeededFuture();
    }
    return takeMark(connection).recover(e -> {
      // Without a mark this node's claims use the 60 s rule; nothing else depends on it.
      LOG.warn("Change feed could not take this node's mark: {}", e.getMessage());
      mark.compareAndSet(taking, null);
      return Future.succeededFuture();
    });
  }

  /** A random mark, and another one if some node already holds it. */
  private Future<Void> takeMark(PgConnection connection) {
    int wanted = ThreadLocalRandom.current().nextInt(1_000_000_000);
    return connection.preparedQuery("SELECT pg_try_advisory_lock($1, $2) AS held")
        .execute(Tuple.of(NODE_LOCK_CLASS, wanted))
        .compose(rows -> {
          if (rows.iterator().next().getBoolean("held")) {
            mark.set(new Mark(connection, wanted));
            return Future.succeededFuture();
          }
          return takeMark(connection);
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
    holdMark();
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
