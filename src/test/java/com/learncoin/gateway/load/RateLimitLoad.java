package com.learncoin.gateway.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.learncoin.gateway.auth.Plan;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One tenant pushed past its plan (API.md §4): requests arrive at {@code overload} times the
 * plan's rate. Every answer must be 200 or a 429 {@code rate_limited} with a {@code Retry-After}
 * of at least one second (checked per request, so anything else is a failed request), and the
 * number admitted must be what a full bucket plus its greedy refill allows over the run:
 * capacity + rate × (last answer − first answer).
 */
final class RateLimitLoad {
  static final String REQUEST = "GET /v1/tenants/{id} (past the plan)";

  private final LoadTarget target;
  private final Plan plan;
  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
  private volatile LoadTarget.Tenant tenant;

  RateLimitLoad(LoadTarget target, Plan plan) {
    this.target = target;
    this.plan = plan;
  }

  /** Creates the tenant; call from {@code before()}. */
  void prepare() {
    tenant = target.tenants(plan.id(), 1).get(0);
  }

  PopulationBuilder population(double overload, Duration duration) {
    double perSecond = overload * plan.requestsPerMinute() / 60.0;
    return scenario("one " + plan.id() + " tenant at " + overload + "x its plan")
        .exec(http(REQUEST)
            .get(session -> target.url("/v1/tenants/" + tenant.id()))
            .header("Authorization", session -> "Bearer " + tenant.key())
            .check(status().in(200, 429).saveAs("status"))
            .checkIf((response, session) -> response.status().code() == 429).then(
                header("Retry-After").transform(Integer::parseInt).gte(1),
                jsonPath("$.error.code").is("rate_limited")))
        .exec(session -> {
          if (session.contains("status")) {
            count(session.getInt("status"));
          }
          return session;
        })
        .injectOpen(constantUsersPerSec(perSecond).during(duration));
  }

  private void count(int status) {
    long now = System.nanoTime();
    firstNanos.accumulateAndGet(now, Math::min);
    lastNanos.accumulateAndGet(now, Math::max);
    (status == 200 ? admitted : rejected).incrementAndGet();
  }

  static List<Assertion> assertions() {
    return List.of(details(REQUEST).failedRequests().count().is(0L));
  }

  /**
   * Fails the run unless the admitted count is the bucket's capacity plus its refill over the
   * measured window, within a small tolerance for the clocks of client and server not being one.
   */
  void verify() {
    double windowSeconds = Math.max(0, lastNanos.get() - firstNanos.get()) / 1e9;
    double refillPerSecond = plan.requestsPerMinute() / 60.0;
    double expected = plan.requestsPerMinute() + refillPerSecond * windowSeconds;
    // One second of refill either way, and 1 %: the first and last answers are timed here,
    // not where the bucket is.
    double tolerance = refillPerSecond + 0.01 * expected;
    String summary = String.format("rate limit (%s, %d/min): %d admitted, %d rejected (429) over"
        + " %.1f s; expected %.0f ± %.0f admitted", plan.id(), plan.requestsPerMinute(),
        admitted.get(), rejected.get(), windowSeconds, expected, tolerance);
    System.out.println("[load] " + summary);
    if (rejected.get() == 0) {
      throw new AssertionError(summary + ": the tenant was never pushed past its plan");
    }
    if (Math.abs(admitted.get() - expected) > tolerance) {
      throw new AssertionError(summary + ": the admitted rate is not the plan's");
    }
  }
}
