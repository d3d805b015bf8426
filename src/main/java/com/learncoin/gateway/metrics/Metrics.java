package com.learncoin.gateway.metrics;

import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.resilience.DependencyBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.impl.MicrometerMetrics;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The gateway's meters, in a Prometheus registry scraped at {@code GET /metrics}. When
 * {@code LEARNCOIN_METRICS_ENABLED=false} every recording method returns at once.
 */
public final class Metrics {
  private final Map<String, AtomicReference<Double>> walletBalances =
      new ConcurrentHashMap<>();
  private final boolean enabled;
  private final PrometheusMeterRegistry registry;
  private final RequestTimers requests;
  private final ConcurrentHashMap<String, Counter> rateLimited = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> transitions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> webhooks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> anchoring = new ConcurrentHashMap<>();
  private final List<Meter> gauges = new CopyOnWriteArrayList<>();
  private final Counter replays;
  private final Timer signer;
  private final RoundMetrics rounds;
  private Vertx vertx;
  private long batchTimer;

  private Metrics(boolean enabled, PrometheusMeterRegistry registry) {
    this.enabled = enabled;
    this.registry = registry;
    this.requests = new RequestTimers(registry);
    this.rounds = new RoundMetrics(enabled, registry);
    this.replays = Counter.builder("learncoin.idempotent.replays")
        .description("POSTs answered from the idempotency store").register(registry);
    this.signer = Timer.builder("learncoin.signer.sign")
        .description("One signature by the credential signer (local key or Cloud KMS)")
        .publishPercentiles(0.5, 0.99).register(registry);
  }

  /**
   * A Vert.x instance reporting its own pools to the registry the gateway will use: the SQL pool
   * ({@code vertx_pool_*}, pool_type="sql") and the worker pools. HTTP server and per-query
   * metrics stay off: the gateway times requests itself, more cheaply, by route template.
   */
  public static Vertx vertx(Config config) {
    if (!config.metricsEnabled()) {
      return Vertx.vertx();
    }
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true);
    for (MetricsDomain domain : MetricsDomain.values()) {
      if (domain != MetricsDomain.NAMED_POOLS) {
        options.addDisabledMetricsCategory(domain);
      }
    }
    options.addDisabledMetricsCategory("sql");
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
        .build();
  }

  /** The registry of a Vert.x built by {@link #vertx(Config)}, else a registry of its own. */
  public static Metrics create(Vertx vertx, Config config) {
    if (!config.metricsEnabled()) {
      return new Metrics(false, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
    // Vert.x offers no public way back from an instance to the registry it reports to.
    if (((VertxInternal) vertx).metrics() instanceof MicrometerMetrics vertxMetrics
        && vertxMetrics.registry() instanceof PrometheusMeterRegistry shared) {
      return new Metrics(true, shared);
    }
    return new Metrics(true, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public boolean enabled() {
    return enabled;
  }

  /** Prometheus text format of every meter; the route puts admin auth in front of it. */
  public Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry);
  }

  public void request(String route, HttpMethod method, int status, long nanos) {
    if (enabled) {
      requests.record(route, method, status, nanos);
    }
  }

  public void rateLimited(String plan) {
    if (enabled) {
      counter(rateLimited, "learncoin.rate.limited", "plan", plan,
          "Requests rejected with 429 by the tenant's token bucket").increment();
    }
  }

  public void idempotentReplay() {
    if (enabled) {
      replays.increment();
    }
  }

  /** A batch moved to {@code state} (anchoring, anchored, failed) on this node. */
  public void batchTransition(String state) {
    if (enabled) {
      counter(transitions, "learncoin.batch.transitions", "to", state,
          "Batches moved to a state by this node's issuance worker").increment();
    }
  }

  /** success, failure (to be retried or given up) or disabled (410 Gone). */
  public void webhookDelivery(String outcome) {
    if (enabled) {
      counter(webhooks, "learncoin.webhook.deliveries", "outcome", outcome,
          "Webhook delivery attempts by outcome").increment();
    }
  }

  public <T> T timeSigner(Supplier<T> call) {
    return enabled ? signer.record(call) : call.get();
  }

  /** One anchoring step on a network: chain RPC calls (nonce, send, receipt, block number). */
  public void anchoringStep(String network, long nanos) {
    if (enabled) {
      anchoring.computeIfAbsent(network, n -> Timer.builder("learncoin.anchoring.step")
          .description("One anchoring step, mostly chain RPC calls, by network")
          .tag("network", n).publishPercentiles(0.5, 0.99).register(registry))
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The anchoring wallet's balance on a network, in ETH, as last read. */
  public void walletBalance(String network, java.math.BigDecimal eth) {
    if (enabled) {
      walletBalances.computeIfAbsent(network, n -> {
        AtomicReference<Double> value = new AtomicReference<>(0.0);
        io.micrometer.core.instrument.Gauge.builder("learncoin.wallet.balance.eth", value,
                AtomicReference::get).description("The anchoring wallet's balance, by network")
            .tag("network", n).register(registry);
        return value;
      }).set(eth.doubleValue());
    }
  }

  public RoundMetrics rounds() {
    return rounds;
  }

  /** 0 closed, 1 open. */
  public void breaker(DependencyBreaker breaker) {
    if (enabled) {
      gauges.add(Gauge.builder("learncoin.breaker.open", breaker, b -> b.isOpen() ? 1 : 0)
          .description("Dependency circuit breaker: 0 closed, 1 open")
          .tag("dependency", breaker.name()).register(registry));
    }
  }

  /** Connections the pool holds now and may hold; in-use and waiting come from vertx_pool_*. */
  public void pool(Pool pool, int maxSize) {
    if (enabled) {
      gauges.add(Gauge.builder("learncoin.db.pool.connections", pool, Pool::size)
          .description("Connections open in the PostgreSQL pool").register(registry));
      gauges.add(Gauge.builder("learncoin.db.pool.max", () -> maxSize)
          .description("Configured size of the PostgreSQL pool").register(registry));
    }
  }

  /** LEARNCOIN_RATE_LIMIT=postgresql: whether this node limits alone, and the live nodes it counts. */
  public void rateLimitStore(BooleanSupplier degraded, IntSupplier liveNodes) {
    if (enabled) {
      gauges.add(Gauge.builder("learncoin.rate.limit.degraded", () -> degraded.getAsBoolean() ? 1 : 0)
          .description("1 while the shared rate limit store does not answer and this node limits "
              + "each tenant alone to plan / live nodes").register(registry));
      gauges.add(Gauge.builder("learncoin.rate.limit.nodes", liveNodes::getAsInt)
          .description("Live gateway nodes as last counted by this node's heartbeat")
          .register(registry));
    }
  }

  /** Starts refreshing the batch gauges from the database every {@code periodMillis}. */
  public void watchBatches(Vertx vertx, Pool pool, long periodMillis) {
    if (enabled) {
      this.vertx = vertx;
      batchTimer = new BatchGauges(this, pool).start(vertx, periodMillis);
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  void gauge(Meter meter) {
    gauges.add(meter);
  }

  /** Drops this gateway's gauges: a registry shared with Vert.x may outlive it. */
  public void close() {
    if (vertx != null) {
      vertx.cancelTimer(batchTimer);
    }
    gauges.forEach(registry::remove);
    gauges.clear();
  }

  private Counter counter(ConcurrentHashMap<String, Counter> cache, String name, String tag,
      String value, String description) {
    Counter counter = cache.get(value);
    return counter != null ? counter : cache.computeIfAbsent(value, v -> Counter.builder(name)
        .description(description).tag(tag, v).register(registry));
  }
}
