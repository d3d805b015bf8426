package com.learncoin.gateway.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.learncoin.gateway.support.Batches;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Tenants issuing: each virtual user is one tenant that, for the whole run, posts a small valid
 * batch with an Idempotency-Key, repeats the POST (it must be replayed, not issued twice), then
 * polls the batch until it is anchored. Polls that see an earlier status are not failures; a
 * batch not anchored within {@code anchorTimeout} fails the final "anchored" request.
 */
final class IssuanceLoad {
  static final String POST = "POST /v1/batches";
  static final String REPLAY = "POST /v1/batches (same Idempotency-Key)";
  static final String POLL = "GET /v1/batches/{id} (poll)";
  static final String ANCHORED = "GET /v1/batches/{id} (anchored)";
  private static final Duration POLL_EVERY = Duration.ofMillis(250);

  private final LoadTarget target;
  private final int tenantCount;
  private final int batchSize;
  private volatile List<LoadTarget.Tenant> tenants;

  IssuanceLoad(LoadTarget target, int tenantCount, int batchSize) {
    this.target = target;
    this.tenantCount = tenantCount;
    this.batchSize = batchSize;
  }

  /** Creates the tenants (institution plan: polling stays far below its 1,200/min). */
  void prepare() {
    tenants = target.tenants("institution", tenantCount);
  }

  PopulationBuilder population(Duration duration, Duration anchorTimeout) {
    ChainBuilder issueOne = exec(session -> session
            .set("idempotencyKey", "load-" + UUID.randomUUID())
            .set("batchBody", Batches.of(batchSize).encode())
            .set("batchStatus", "none"))
        .exec(postBatch(POST).check(status().is(202),
            jsonPath("$.id").saveAs("batchId"),
            // Polls follow the Location header: it must name the batch (see the replay's check).
            header("Location").saveAs("location")))
        .exitHereIfFailed()
        .exec(postBatch(REPLAY).check(status().is(202),
            header("Idempotent-Replayed").is("true"),
            jsonPath("$.id").is(session -> session.getString("batchId")),
            header("Location").is(session -> "/v1/batches/" + session.getString("batchId"))))
        .asLongAsDuring(session -> !isFinal(session), anchorTimeout).on(
            pause(POLL_EVERY).exec(getBatch(POLL)
                .check(status().is(200), jsonPath("$.status").saveAs("batchStatus"))))
        .exec(getBatch(ANCHORED).check(status().is(200),
            jsonPath("$.status").is("anchored"),
            jsonPath("$.anchor.tx_hash").exists(),
            jsonPath("$.anchor.merkle_root").exists()));
    return scenario("issuance by " + tenantCount + " tenants")
        .feed(LoadTarget.roundRobin(() -> tenants))
        .during(duration).on(issueOne)
        // One user per tenant, started over a few seconds rather than all at the same instant.
        .injectOpen(rampUsers(tenantCount).during(Duration.ofSeconds(Math.min(5, duration.toSeconds()))));
  }

  private static boolean isFinal(Session session) {
    String status = session.getString("batchStatus");
    return "anchored".equals(status) || "failed".equals(status);
  }

  private HttpRequestActionBuilder postBatch(String name) {
    return http(name).post(session -> target.url("/v1/batches"))
        .header("Authorization", session -> "Bearer " + session.getString("apiKey"))
        .header("Idempotency-Key", session -> session.getString("idempotencyKey"))
        .header("Content-Type", "application/json")
        .body(StringBody(session -> session.getString("batchBody")));
  }

  private HttpRequestActionBuilder getBatch(String name) {
    return http(name).get(session -> target.url(session.getString("location")))
        .header("Authorization", session -> "Bearer " + session.getString("apiKey"));
  }

  /** Every batch anchored and no failed request; latency bounds (ms) over all its requests. */
  static List<Assertion> assertions(int p95Millis, int p99Millis) {
    return List.of(
        details(POST).failedRequests().count().is(0L),
        details(REPLAY).failedRequests().count().is(0L),
        details(POLL).failedRequests().count().is(0L),
        details(ANCHORED).failedRequests().count().is(0L),
        details(ANCHORED).successfulRequests().count().gt(0L),
        details(POST).responseTime().percentile(95.0).lt(p95Millis),
        details(POST).responseTime().percentile(99.0).lt(p99Millis),
        details(POLL).responseTime().percentile(95.0).lt(p95Millis),
        details(POLL).responseTime().percentile(99.0).lt(p99Millis));
  }
}
