package com.learncoin.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.auth.Plan;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Shared buckets: rows of buckets full and idle for a minute are swept, and come back full")
class SharedBucketsTest {
  private static TestGateway app;
  private KeptConnection store;
  private SharedBuckets buckets;

  @BeforeEach
  void connect() {
    PgConnectOptions database = PgConnectOptions.fromUri(app.jdbcUrl().substring("jdbc:".length()))
        .setUser("postgres").setPassword("postgres");
    store = new KeptConnection(database, "shared-buckets-test");
    buckets = new SharedBuckets(store);
  }

  @AfterEach
  void disconnect() {
    store.discard();
  }

  @Test
  @DisplayName("a row expires a minute after its bucket would be full again; the sweep removes only "
      + "expired rows; a removed bucket is created full, a kept one keeps its tokens")
  void idleFullBucketsAreSwept() {
    Plan starter = Plan.STARTER; // 120 a minute: a token every 0.5 s
    String busy = app.tenant("starter");
    String idle = app.tenant("starter");
    long before = System.currentTimeMillis();
    assertThat(buckets.sync(busy, starter, 0, 100).taken()).isEqualTo(100);
    assertThat(buckets.sync(idle, starter, 0, 1).taken()).isEqualTo(1);
    // 100 tokens short: full again in 50 s, kept a minute more; 1 token short: 0.5 s + a minute.
    assertThat(expiresInMillis(busy, before)).isBetween(108_000L, 112_000L);
    assertThat(expiresInMillis(idle, before)).isBetween(59_000L, 62_000L);
    assertThat(buckets.removeExpired()).as("nothing has expired yet").isZero();
    assertThat(rows(busy) + rows(idle)).isEqualTo(2);

    // The idle tenant's minute passes.
    app.execute("UPDATE rate_limit_buckets SET expires_at = "
        + (System.currentTimeMillis() - 1_000) + " WHERE tenant_id = '" + idle + "'");
    assertThat(buckets.removeExpired()).isOne();
    assertThat(rows(idle)).isZero();
    assertThat(rows(busy)).isOne();

    assertThat(buckets.sync(idle, starter, 0, 0).available()).as("recreated full").isEqualTo(120);
    assertThat(buckets.sync(busy, starter, 0, 0).available()).as("kept: its debt stands")
        .isBetween(20L, 30L);
  }

  private static long expiresInMillis(String tenant, long since) {
    return app.queryLong("SELECT expires_at FROM rate_limit_buckets WHERE tenant_id = ?", tenant)
        - since;
  }

  private static long rows(String tenant) {
    return app.queryLong("SELECT count(*) FROM rate_limit_buckets WHERE tenant_id = ?", tenant);
  }
}
