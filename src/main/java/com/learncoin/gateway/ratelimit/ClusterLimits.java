package com.learncoin.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.learncoin.gateway.auth.Plan;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LEARNCOIN_RATE_LIMIT=postgresql}: a tenant's tokens come from one bucket in PostgreSQL
 * that every node shares ({@link SharedBuckets}), so N nodes sell the plan once, not N times.
 * A request never waits on the store: it spends this node's {@link Lease}, which the sync thread
 * tops up in the background (when low or after a refusal, at most every sync interval). A node's
 * first request for a tenant is admitted from a first share, plan ÷ live nodes, charged to the
 * shared bucket right after. When the store does not answer, each node limits alone to that
 * share until it answers again ({@link #storeState}).
 *
 * <p>Two threads, each with its one JDBC connection: syncs, and the heartbeat that counts the
 * live nodes and is the probe that brings a node back.
 */
final class ClusterLimits implements Limits {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterLimits.class);
  private static final long LIVE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(Heartbeat.LIVE_SECONDS);
  static final long SWEEP_EVERY_SECONDS = 60;

  private final Vertx vertx;
  private final Cache<String, Lease> leases = Caffeine.newBuilder()
      .executor(Runnable::run)
      .expireAfterAccess(LocalLimits.IDLE_EVICTION)
      .maximumSize(LocalLimits.MAX_TENANTS)
      .build();
  private final KeptConnection bucketStore;
  private final KeptConnection beatStore;
  private final SharedBuckets buckets;
  private final Heartbeat heartbeat;
  private final ScheduledThreadPoolExecutor syncs = thread("learncoin-rate-limit-sync", true);
  private final ScheduledThreadPoolExecutor beats = thread("learncoin-rate-limit-heartbeat", false);
  private final long syncNanos;
  private final AtomicBoolean degraded = new AtomicBoolean();
  /** As last counted; 1 until the first heartbeat answers. */
  private volatile int liveNodes = 1;
  /** Since when the store has answered this node (heartbeat thread only). */
  private long answeringSince = System.nanoTime();

  private ClusterLimits(Vertx vertx, PgConnectOptions database, int syncMillis) {
    this.vertx = vertx;
    this.bucketStore = new KeptConnection(database, "learncoin-rate-limit");
    this.beatStore = new KeptConnection(database, "learncoin-rate-limit-heartbeat");
    this.buckets = new SharedBuckets(bucketStore);
    this.heartbeat = new Heartbeat(beatStore);
    this.syncNanos = TimeUnit.MILLISECONDS.toNanos(syncMillis);
  }

  static ClusterLimits start(Vertx vertx, PgConnectOptions database, int syncMillis) {
    ClusterLimits limits = new ClusterLimits(vertx, database, syncMillis);
    limits.beats.scheduleWithFixedDelay(limits::beat, 0, Heartbeat.EVERY_MILLIS,
        TimeUnit.MILLISECONDS);
    limits.syncs.execute(limits::connect);
    limits.syncs.scheduleWithFixedDelay(limits::sweep, SWEEP_EVERY_SECONDS, SWEEP_EVERY_SECONDS,
        TimeUnit.SECONDS);
    LOG.info("Rate limits shared by every node in PostgreSQL (rate_limit_buckets), leases synced at "
        + "most every {} ms per tenant", syncMillis);
    return limits;
  }

  @Override
  public ConsumptionProbe consume(String tenantId, Plan plan) {
    int nodes = liveNodes;
    boolean down = degraded.get();
    long now = System.nanoTime();
    Lease lease = leases.get(tenantId, id -> new Lease(plan, nodes, now));
    ConsumptionProbe probe = lease.take(plan, nodes, down, now, syncNanos);
    if (!down && lease.claimSync()) {
      try {
        syncs.schedule(() -> sync(tenantId, lease), lease.delayNanos(now, syncNanos),
            TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        lease.cancel(); // stopping
      }
    }
    return probe;
  }

  @Override
  public Optional<String> storeState() {
    return Optional.of(degraded.get() ? "degraded" : "ok");
  }

  boolean degraded() {
    return degraded.get();
  }

  int liveNodes() {
    return liveNodes;
  }

  /** On the sync thread. */
  private void sync(String tenantId, Lease lease) {
    if (degraded.get()) {
      lease.cancel();
      return;
    }
    Lease.Order order = lease.begin(liveNodes, System.nanoTime(), 2 * syncNanos);
    try {
      SharedBuckets.Synced synced = buckets.sync(tenantId, order.plan(), order.debit(),
          order.want());
      lease.end(synced.taken(), synced.available());
    } catch (RuntimeException e) {
      bucketStore.discard();
      lease.failed(order);
      storeDown(e);
    }
  }

  /**
   * On the sync thread, every {@link #SWEEP_EVERY_SECONDS}: the rows of buckets that have been
   * full for a while go (a missing row is created full). Every node sweeps; the rows it takes are
   * locked, so two sweeps never wait on each other. A failure is the store's: the node limits
   * alone until the heartbeat hears it again.
   */
  void sweep() {
    if (degraded.get()) {
      return;
    }
    try {
      int removed = buckets.removeExpired();
      if (removed > 0) {
        LOG.debug("Removed {} idle full buckets from rate_limit_buckets", removed);
      }
    } catch (RuntimeException e) {
      bucketStore.discard();
      storeDown(e);
    }
  }

  /**
   * On the sync thread, at start and when the store answers again: a first share's debit should
   * not wait on a login, or another node's top-up may take what that share admitted.
   */
  private void connect() {
    try (Connection c = bucketStore.getConnection()) {
      c.isValid(1);
    } catch (SQLException e) {
      bucketStore.discard();
    }
  }

  /** On the heartbeat thread: counts the live nodes; an answer brings this node back. */
  private void beat() {
    try {
      int counted = heartbeat.beat();
      long now = System.nanoTime();
      boolean rejoined = degraded.compareAndSet(true, false);
      if (rejoined) {
        answeringSince = now;
      }
      // After an outage every node's row is as old as the outage: a drop is believed only once
      // the store has answered for a whole live window, in which every live node beats again.
      if (counted >= liveNodes || now - answeringSince > LIVE_WINDOW_NANOS) {
        liveNodes = counted;
      }
      if (rejoined) {
        syncs.execute(this::connect);
        LOG.info("Rate limit store answers again: tenants' shared buckets are used again "
            + "({} live nodes)", liveNodes);
      }
    } catch (SQLException | RuntimeException e) {
      beatStore.discard();
      storeDown(e);
    }
  }

  private void storeDown(Exception e) {
    if (degraded.compareAndSet(false, true)) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause(); // Bucket4j wraps the driver's exception
      }
      LOG.warn("Rate limit store not answering ({}): until it does, this node limits each tenant "
          + "alone to plan / {} live nodes", cause.getMessage(), liveNodes);
    }
  }

  /** Pending syncs are dropped; the node's heartbeat row goes, so others count it out at once. */
  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      syncs.shutdown();
      beats.execute(() -> {
        try {
          heartbeat.leave();
        } catch (SQLException | RuntimeException e) {
          LOG.debug("Rate limit heartbeat row not removed: {}", e.getMessage());
        }
      });
      beats.shutdown();
      syncs.awaitTermination(10, TimeUnit.SECONDS);
      beats.awaitTermination(10, TimeUnit.SECONDS);
      bucketStore.discard();
      beatStore.discard();
      return null;
    });
  }

  /** {@code dropPending}: tasks still waiting when it is shut down are dropped, not run. */
  private static ScheduledThreadPoolExecutor thread(String name, boolean dropPending) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(!dropPending);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
