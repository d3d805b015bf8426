package com.learncoin.gateway.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;

/**
 * 20 tenants issuing small batches (Idempotency-Key, replay, poll until anchored) for a minute.
 * Knobs: -Dissuance.tenants=20 -Dissuance.batchSize=10 -Dload.duration=60
 * -Dissuance.anchorTimeout=60 (s) -Dload.p95=1000 -Dload.p99=2000 (ms).
 */
public final class IssuanceSimulation extends Simulation {
  private final LoadTarget target = new LoadTarget();
  private final IssuanceLoad issuance = new IssuanceLoad(target,
      Knobs.integer("issuance.tenants", 20), Knobs.integer("issuance.batchSize", 10));

  {
    setUp(issuance.population(Knobs.seconds("load.duration", 60),
            Knobs.seconds("issuance.anchorTimeout", 60)))
        .protocols(http.acceptHeader("application/json"))
        .assertions(IssuanceLoad.assertions(Knobs.integer("load.p95", 1_000),
            Knobs.integer("load.p99", 2_000)));
  }

  @Override
  public void before() {
    target.start();
    issuance.prepare();
  }

  @Override
  public void after() {
    target.close();
  }
}
