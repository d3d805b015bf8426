package com.learncoin.gateway.ratelimit;

import com.learncoin.gateway.auth.Plan;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The tenants' shared buckets: Bucket4j's PostgreSQL proxy manager (one row per tenant in
 * {@code rate_limit_buckets}, each call one transaction holding the row's lock). Blocking JDBC:
 * called on the limiter's sync thread only, never on an event loop.
 */
final class SharedBuckets {
  private static final String PLAN = "SELECT plan FROM tenants WHERE id = ?";
  /** How long a full bucket's row stays before a sweep may remove it (V14). */
  static final Duration KEPT_WHEN_FULL = Duration.ofMinutes(1);
  private static final int SWEEP_ROWS = 1_000;

  /** What a sync got: tokens taken for the lease, and what the shared bucket holds after. */
  record Synced(long taken, long available) {}

  private final KeptConnection store;
  private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

  SharedBuckets(KeptConnection store) {
    this.store = store;
    this.buckets = proxyManager(store);
  }

  /** Bucket4j's PostgreSQL proxy manager on V12's table, as shipped (also measured so). */
  static PostgreSQLSelectForUpdateBasedProxyManager<String> proxyManager(DataSource store) {
    return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(store)
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table("rate_limit_buckets")
        .idColumn("tenant_id")
        .stateColumn("state")
        .expiresAtColumn("expires_at")
        .expirationAfterWrite(
            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEPT_WHEN_FULL))
        .build();
  }

  /** Removes the rows of buckets full and idle for {@link #KEPT_WHEN_FULL}; how many went. */
  int removeExpired() {
    int removed = 0;
    int last;
    do {
      last = buckets.removeExpired(SWEEP_ROWS);
      removed += last;
    } while (last == SWEEP_ROWS);
    return removed;
  }

  /**
   * Charges {@code debit} (tokens a node admitted ahead of the bucket, even into debt), then takes
   * up to {@code want}. A bucket not there yet is created full, for {@code plan}.
   */
  Synced sync(String tenantId, Plan plan, long debit, long want) {
    BucketConfiguration configuration = LocalLimits.configuration(plan.requestsPerMinute());
    BucketProxy bucket = buckets.builder().build(tenantId, () -> configuration);
    VerboseResult<?> last = null;
    long taken = 0;
    if (debit > 0) {
      last = bucket.asVerbose().consumeIgnoringRateLimits(debit);
    }
    if (want > 0) {
      VerboseResult<Long> took = bucket.asVerbose().tryConsumeAsMuchAsPossible(want);
      taken = took.getValue();
      last = took;
    }
    if (last == null) {
      last = bucket.asVerbose().getAvailableTokens();
    }
    if (!configuration.equals(last.getConfiguration())) {
      followPlan(tenantId, bucket, last.getConfiguration());
    }
    return new Synced(taken, last.getDiagnostics().getAvailableTokens());
  }

  /**
   * The stored bucket is not shaped for the plan this node knows: one of the two is out of date,
   * and the tenants table says which. ADDITIVE, as in local mode. Every node that notices does
   * this, after every plan change it hears of, so the last change wins whatever the order.
   */
  private void followPlan(String tenantId, BucketProxy bucket, BucketConfiguration stored) {
    Plan current;
    try (Connection c = store.getConnection(); PreparedStatement s = c.prepareStatement(PLAN)) {
      s.setString(1, tenantId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        current = Plan.parse(rs.getString(1)).orElseThrow();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the plan of " + tenantId + ": " + e.getMessage(), e);
    }
    BucketConfiguration right = LocalLimits.configuration(current.requestsPerMinute());
    if (!right.equals(stored)) {
      bucket.replaceConfiguration(right, TokensInheritanceStrategy.ADDITIVE);
    }
  }
}
