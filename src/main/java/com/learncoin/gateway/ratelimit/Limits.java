package com.learncoin.gateway.ratelimit;

import com.learncoin.gateway.auth.Plan;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import java.util.Optional;

/** Where a tenant's tokens come from: this node's memory alone, or leases of a shared bucket. */
interface Limits {
  /** One request's token for the tenant under its plan as of now; never waits on anything. */
  ConsumptionProbe consume(String tenantId, Plan plan);

  /** The shared store as readiness shows it ("ok", "degraded"); empty when there is none. */
  default Optional<String> storeState() {
    return Optional.empty();
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
