package com.learncoin.gateway.ratelimit;

import com.learncoin.gateway.auth.Plan;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;

/**
 * One tenant's tokens on this node in cluster mode, taken ahead of its requests from the
 * tenant's shared bucket, so that a request is judged here, in memory. The event loops take
 * tokens; the sync thread tops the lease up ({@link #begin} then {@link #end}). Guarded by its own
 * monitor, held for a few field updates at a time.
 */
final class Lease {
  private static final long NANOS_PER_MINUTE = 60_000_000_000L;
  /**
   * A new lease takes nothing more from the shared bucket for this long: the other nodes' first
   * shares of the same burst are charged meanwhile, so a top-up cannot take what they admitted.
   */
  static final long FIRST_SHARE_SETTLES_NANOS = 1_000_000_000L;

  /** What one sync asks of the shared bucket: debit what was admitted ahead, take {@code want}. */
  record Order(Plan plan, long debit, long want) {}

  private Plan plan;
  /** Tokens this node may spend now. */
  private long tokens;
  /** Admitted here before the shared bucket was charged (a first share, an upgrade). */
  private long undebited;
  /** The shared bucket's tokens after the last sync; negative while it is in debt. */
  private long shared;
  /** Top up at this many tokens ({@link #end}). */
  private long lowWater;
  /** What the requests seen at the last sync would spend over the horizon (two intervals). */
  private long need;
  private int nodes = 1;
  private long requests;
  private final long createdAt;
  private long syncedAt;
  private boolean refused;
  private boolean reshaped;
  private boolean scheduled;
  /** While the store does not answer: this node's share of the plan as a bucket of its own. */
  private Bucket alone;

  /** A first share: plan ÷ live nodes, spent at once and charged to the shared bucket after. */
  Lease(Plan plan, int nodes, long now) {
    this.plan = plan;
    this.tokens = share(plan, nodes);
    this.undebited = tokens;
    this.createdAt = now;
    this.syncedAt = now;
  }

  /** A node's part of the plan: its first lease, its most, its bucket when alone. */
  static long share(Plan plan, int nodes) {
    return Math.max(1, (plan.requestsPerMinute() + nodes - 1) / nodes);
  }

  synchronized ConsumptionProbe take(Plan current, int nodes, boolean storeDown, long now,
      long syncNanos) {
    requests++;
    if (current != plan) {
      reshape(current, nodes);
    }
    if (storeDown) {
      return alone(nodes).tryConsumeAndReturnRemaining(1);
    }
    if (alone != null) {
      // Back with the store: what is left of the share is charged to the shared bucket.
      tokens = Math.max(0, alone.getAvailableTokens());
      undebited += tokens;
      alone = null;
    }
    if (tokens > 0) {
      tokens--;
      return ConsumptionProbe.consumed(tokens + Math.max(0, shared), 0);
    }
    refused = true;
    long wait = Math.max(readyAt(syncNanos) - now, syncNanos);
    return ConsumptionProbe.rejected(0, wait, wait);
  }

  /** Whether a sync is due; at most one is scheduled at a time. */
  synchronized boolean claimSync() {
    if (scheduled || undebited == 0 && !refused && !reshaped && tokens > lowWater) {
      return false;
    }
    scheduled = true;
    return true;
  }

  /** A debit or a plan change goes at once; a top-up at most every sync interval. */
  synchronized long delayNanos(long now, long syncNanos) {
    return undebited > 0 || reshaped ? 0 : Math.max(0, readyAt(syncNanos) - now);
  }

  /** On the sync thread: what to ask of the shared bucket now. */
  synchronized Order begin(int nodes, long now, long horizonNanos) {
    this.nodes = nodes;
    need = requests * horizonNanos / Math.max(now - syncedAt, horizonNanos) + 1;
    // A debit first settles alone: a node's first share is charged before it takes more.
    boolean takes = undebited == 0 && now - createdAt >= FIRST_SHARE_SETTLES_NANOS;
    long want = takes && (refused || tokens <= lowWater) ? Math.max(0, target() - tokens) : 0;
    Order order = new Order(plan, undebited, want);
    undebited = 0;
    requests = 0;
    refused = false;
    reshaped = false;
    scheduled = false;
    syncedAt = now;
    return order;
  }

  synchronized void end(long taken, long available) {
    tokens += taken;
    shared = available;
    // Top up again at what the requests need until a sync answers; while the shared bucket is
    // rich, at half what this node may hold, so that a burst within the plan finds tokens here.
    lowWater = Math.max(Math.min(need, share(plan, nodes)), target() / 2);
  }

  /** The store did not answer: the debit is owed still. */
  synchronized void failed(Order order) {
    undebited += order.debit();
    scheduled = false;
  }

  synchronized void cancel() {
    scheduled = false;
  }

  /**
   * What this node should hold: what its requests need over the horizon; more only while the
   * shared bucket is rich enough for every node to hold as much, since tokens held here are
   * tokens another node cannot admit. At most plan ÷ live nodes.
   */
  private long target() {
    return Math.min(share(plan, nodes), Math.max(need, shared / nodes));
  }

  /** When a top-up can find a token: after the interval, and once the shared bucket has one. */
  private long readyAt(long syncNanos) {
    long tokenWait = shared > 0 ? 0 : (1 - shared) * (NANOS_PER_MINUTE / plan.requestsPerMinute());
    return Math.max(syncedAt + Math.max(syncNanos, tokenWait),
        createdAt + FIRST_SHARE_SETTLES_NANOS);
  }

  /** As local mode's ADDITIVE, for this node's part: an upgrade adds the difference at once. */
  private void reshape(Plan current, int nodes) {
    long before = share(plan, nodes);
    long after = share(current, nodes);
    plan = current;
    reshaped = true;
    if (alone != null) {
      alone.replaceConfiguration(LocalLimits.configuration(after), TokensInheritanceStrategy.ADDITIVE);
    } else if (after > before) {
      tokens += after - before;
      undebited += after - before;
    } else {
      tokens = Math.min(tokens, after);
    }
  }

  private Bucket alone(int nodes) {
    if (alone == null) {
      long share = share(plan, nodes);
      long left = Math.max(0, Math.min(tokens, share));
      alone = Bucket.builder().addLimit(limit -> limit.capacity(share)
          .refillGreedy(share, java.time.Duration.ofMinutes(1)).initialTokens(left)).build();
      // What a node admits alone is not charged to the shared bucket afterwards.
      undebited = 0;
    }
    return alone;
  }
}
