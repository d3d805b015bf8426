package com.learncoin.gateway.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import com.learncoin.gateway.auth.Plan;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The three load shapes at once, small and short, run by {@code mvn verify} (in-process gateway
 * unless -Dgateway.url is given) so the simulations keep compiling and working: issuance by 3
 * tenants, a starter tenant at 10x its plan (past its
 * 120-request bucket within the run), reads across 50 tenants. Same checks as the full runs.
 */
public final class SmokeSimulation extends Simulation {
  private static final Duration DURATION = Duration.ofSeconds(10);

  private final LoadTarget target = new LoadTarget();
  private final IssuanceLoad issuance = new IssuanceLoad(target, 3, 5);
  private final RateLimitLoad limit = new RateLimitLoad(target, Plan.STARTER);
  private final ReadLoad reads = new ReadLoad(target, 50);

  {
    List<Assertion> assertions = new ArrayList<>();
    // Bounds for a loaded 2-core machine with everything in one JVM: a smoke, not a benchmark.
    assertions.addAll(IssuanceLoad.assertions(3_000, 5_000));
    assertions.addAll(RateLimitLoad.assertions());
    assertions.addAll(ReadLoad.assertions(2_000, 3_000));
    setUp(issuance.population(DURATION, Duration.ofSeconds(30)),
            limit.population(10, DURATION),
            reads.population(20, Duration.ofSeconds(2), DURATION))
        .protocols(http.acceptHeader("application/json"))
        .assertions(assertions);
  }

  @Override
  public void before() {
    target.start();
    issuance.prepare();
    limit.prepare();
    reads.prepare();
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
