package com.learncoin.gateway.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import com.learncoin.gateway.auth.Plan;
import io.gatling.javaapi.core.Simulation;

/**
 * One tenant at three times its plan's rate for a minute: every rejection a 429 with
 * Retry-After, and the admitted count equal to the plan's capacity plus refill.
 * Knobs: -Dratelimit.plan=institution -Dratelimit.overload=3 -Dload.duration=60.
 */
public final class RateLimitSimulation extends Simulation {
  private final LoadTarget target = new LoadTarget();
  private final RateLimitLoad limit = new RateLimitLoad(target,
      Plan.parse(Knobs.text("ratelimit.plan", "institution")).orElseThrow(
          () -> new IllegalArgumentException("-Dratelimit.plan: starter, institution or industry")));

  {
    setUp(limit.population(Knobs.integer("ratelimit.overload", 3),
            Knobs.seconds("load.duration", 60)))
        .protocols(http.acceptHeader("application/json"))
        .assertions(RateLimitLoad.assertions());
  }

  @Override
  public void before() {
    target.start();
    limit.prepare();
  }

  @Override
  public void after() {
    try {
      limit.verify();
    } finally {
      target.close();
    }
  }
}
