package com.learncoin.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.auth.Plan;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cluster mode's lease: a first share, ADDITIVE plan changes, and limiting alone")
class LeaseTest {
  private static final long SYNC = TimeUnit.MILLISECONDS.toNanos(100);

  @Test
  @DisplayName("a first share of plan / nodes is admitted at once and charged at the first sync, "
      + "which takes nothing more")
  void firstShare() {
    Lease lease = new Lease(Plan.STARTER, 3, 0);
    for (int i = 0; i < 40; i++) {
      assertThat(lease.take(Plan.STARTER, 3, false, 0, SYNC).isConsumed()).isTrue();
    }
    ConsumptionProbe refused = lease.take(Plan.STARTER, 3, false, 0, SYNC);
    assertThat(refused.isConsumed()).isFalse();
    assertThat(refused.getNanosToWaitForRefill()).isGreaterThanOrEqualTo(SYNC);
    assertThat(lease.claimSync()).isTrue();
    assertThat(lease.claimSync()).as("one sync at a time").isFalse();
    assertThat(lease.delayNanos(0, SYNC)).as("a debit goes at once").isZero();
    assertThat(lease.begin(3, 1, 2 * SYNC)).isEqualTo(new Lease.Order(Plan.STARTER, 40, 0));
  }

  @Test
  @DisplayName("an upgrade adds this node's part of the difference at once, charged at the next "
      + "sync; a downgrade caps the lease at the new share")
  void planChanges() {
    Lease lease = new Lease(Plan.STARTER, 3, 0);
    lease.begin(3, 0, 2 * SYNC);
    lease.take(Plan.STARTER, 3, false, 0, SYNC);
    ConsumptionProbe upgraded = lease.take(Plan.INDUSTRY, 3, false, 0, SYNC);
    assertThat(upgraded.getRemainingTokens()).isEqualTo(39 + 1_960 - 1);
    assertThat(lease.claimSync()).isTrue();
    assertThat(lease.begin(3, 1, 2 * SYNC)).isEqualTo(new Lease.Order(Plan.INDUSTRY, 1_960, 0));
    ConsumptionProbe downgraded = lease.take(Plan.STARTER, 3, false, 2, SYNC);
    assertThat(downgraded.getRemainingTokens()).isEqualTo(39);
  }

  @Test
  @DisplayName("the store down: the share as a bucket of its own, not charged later; back with "
      + "the store, what is left of it is")
  void alone() {
    Lease lease = new Lease(Plan.STARTER, 3, 0);
    for (int i = 0; i < 30; i++) {
      assertThat(lease.take(Plan.STARTER, 3, true, 0, SYNC).isConsumed()).isTrue();
    }
    assertThat(lease.take(Plan.STARTER, 3, true, 0, SYNC).getRemainingTokens()).isEqualTo(9);
    for (int i = 0; i < 9; i++) {
      lease.take(Plan.STARTER, 3, true, 0, SYNC);
    }
    ConsumptionProbe refused = lease.take(Plan.STARTER, 3, true, 0, SYNC);
    assertThat(refused.isConsumed()).isFalse();
    // 40 a minute: one token every 1.5 s.
    assertThat(refused.getNanosToWaitForRefill()).isBetween(1_000_000_000L, 1_500_000_000L);
    lease.take(Plan.STARTER, 3, false, 0, SYNC);
    assertThat(lease.claimSync()).isTrue();
    assertThat(lease.begin(3, 1, 2 * SYNC).debit()).isZero();
  }

  @Test
  @DisplayName("a store that never answers: the node counts itself alone, limits each tenant to "
      + "the whole plan, and shows degraded")
  void storeNeverAnswers() throws Exception {
    int refused;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      refused = socket.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    ClusterLimits limits = ClusterLimits.start(vertx, new PgConnectOptions().setHost("127.0.0.1")
        .setPort(refused).setDatabase("none").setUser("none").setPassword("none"), 100);
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!limits.degraded() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(limits.storeState()).contains("degraded");
      assertThat(limits.liveNodes()).isEqualTo(1);
      int admitted = 0;
      for (int i = 0; i < 150; i++) {
        admitted += limits.consume("ten_alone", Plan.STARTER).isConsumed() ? 1 : 0;
      }
      assertThat(admitted).isBetween(120, 122);
    } finally {
      limits.close().await(20, TimeUnit.SECONDS);
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
