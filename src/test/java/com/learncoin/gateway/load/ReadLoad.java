package com.learncoin.gateway.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Authenticated reads of the caller's own tenant, spread over many tenants (each with its own
 * key, so the key cache and the per-tenant buckets see a realistic spread), arriving at a fixed
 * rate whatever the latency (open model), after a short ramp: a freshly started JVM (gateway or
 * Gatling) is slow for its first seconds, which is not what the percentiles are meant to show. The industry plan's 6,000/min is never reached.
 */
final class ReadLoad {
  static final String REQUEST = "GET /v1/tenants/{id}";

  private final LoadTarget target;
  private final int tenantCount;
  private volatile List<LoadTarget.Tenant> tenants;

  ReadLoad(LoadTarget target, int tenantCount) {
    this.target = target;
    this.tenantCount = tenantCount;
  }

  /** Creates the tenants and reads each once; call from {@code before()}. */
  void prepare() {
    tenants = target.tenants("industry", tenantCount);
    target.warmUp(tenants);
  }

  /** {@code usersPerSecond} after a ramp from a tenth of it over {@code ramp}. */
  PopulationBuilder population(double usersPerSecond, Duration ramp, Duration duration) {
    return scenario("reads across " + tenantCount + " tenants")
        .feed(LoadTarget.roundRobin(() -> tenants))
        .exec(http(REQUEST)
            .get(session -> target.url("/v1/tenants/" + session.getString("tenantId")))
            .header("Authorization", session -> "Bearer " + session.getString("apiKey"))
            .check(status().is(200),
                header("X-Request-Id").exists(),
                jsonPath("$.id").is(session -> session.getString("tenantId"))))
        .injectOpen(rampUsersPerSec(usersPerSecond / 10).to(usersPerSecond).during(ramp),
            constantUsersPerSec(usersPerSecond).during(duration));
  }

  /** No failed read, and latency bounds (ms) generous enough for a shared machine. */
  static List<Assertion> assertions(int p95Millis, int p99Millis) {
    return List.of(
        details(REQUEST).failedRequests().count().is(0L),
        details(REQUEST).responseTime().percentile(95.0).lt(p95Millis),
        details(REQUEST).responseTime().percentile(99.0).lt(p99Millis));
  }
}
