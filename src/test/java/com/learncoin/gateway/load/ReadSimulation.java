package com.learncoin.gateway.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Authenticated {@code GET /v1/tenants/{id}} across 1,000 tenants at a fixed arrival rate (after
 * a 10 s ramp).
 * Knobs: -Dread.tenants=1000 -Dread.rate=300 (users/s, one request each) -Dload.duration=60
 * -Dload.p95=500 -Dload.p99=1000 (ms).
 */
public final class ReadSimulation extends Simulation {
  private final LoadTarget target = new LoadTarget();
  private final ReadLoad reads = new ReadLoad(target, Knobs.integer("read.tenants", 1_000));

  {
    setUp(reads.population(Knobs.integer("read.rate", 300), Duration.ofSeconds(10),
            Knobs.seconds("load.duration", 60)))
        .protocols(http.acceptHeader("application/json"))
        .assertions(ReadLoad.assertions(Knobs.integer("load.p95", 500),
            Knobs.integer("load.p99", 1_000)));
  }

  @Override
  public void before() {
    target.start();
    reads.prepare();
  }

  @Override
  public void after() {
    target.close();
  }
}
