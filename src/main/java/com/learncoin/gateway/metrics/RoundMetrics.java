package com.learncoin.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Anchoring rounds, by network: their size, how long a signed batch waited for its round to be
 * sent and a sent round for its block, and the chain's events (replacements, reorgs). Rounds are
 * few (one per block at most), so meters are looked up in the registry on each use.
 */
public final class RoundMetrics {
  private final boolean enabled;
  private final MeterRegistry registry;

  RoundMetrics(boolean enabled, MeterRegistry registry) {
    this.enabled = enabled;
    this.registry = registry;
  }

  /** A round stored and sent; {@code waited}: from its oldest batch's signing to now. */
  public void sent(String network, int batches, long credentials, Duration waited) {
    if (enabled) {
      DistributionSummary.builder("learncoin.anchoring.round.batches")
          .description("Batches per anchoring round (one chain transaction)").tag("network", network)
          .register(registry).record(batches);
      DistributionSummary.builder("learncoin.anchoring.round.credentials")
          .description("Credentials per anchoring round").tag("network", network)
          .register(registry).record(credentials);
      timer("learncoin.anchoring.round.queued", network,
          "From a batch signed to the round carrying it sent (its oldest batch)").record(waited);
    }
  }

  /** A round's transaction seen in a block, {@code after} it was sent. */
  public void mined(String network, Duration after) {
    if (enabled) {
      timer("learncoin.anchoring.round.mined", network,
          "From a round sent to its transaction seen in a block").record(after);
    }
  }

  /** {@code replaced} (a stuck transaction re-signed with higher fees) or {@code reorg}. */
  public void event(String network, String event) {
    if (enabled) {
      Counter.builder("learncoin.anchoring.round.events").tag("network", network).tag("event", event)
          .description("Chain events of anchoring rounds: replaced transactions, reorgs seen")
          .register(registry).increment();
    }
  }

  private Timer timer(String name, String network, String description) {
    return Timer.builder(name).description(description).tag("network", network)
        .publishPercentiles(0.5, 0.99).register(registry);
  }
}
