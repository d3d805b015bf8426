package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Each tenant has a token bucket sized by its plan")
class RateLimitTest {
  private static TestGateway app;

  @Test
  @DisplayName("a starter tenant gets its 120 requests, then 429 with Retry-After, then succeeds after waiting")
  void admitsThePlanThenRejects() throws Exception {
    String tenant = app.tenant("starter");
    String key = app.key(tenant, "test").getString("key");
    long started = System.nanoTime();
    List<Reply> replies = new ArrayList<>();
    for (int i = 0; i < 140; i++) {
      replies.add(app.get("/v1/tenants/" + tenant, key));
    }
    double elapsedSeconds = (System.nanoTime() - started) / 1e9;
    long admitted = replies.stream().filter(r -> r.status() == 200).count();
    // The bucket starts full (120) and refills one token every 0.5 s while the loop runs.
    assertThat(admitted).isBetween(120L, 120L + (long) Math.ceil(elapsedSeconds * 2));
    assertThat(replies.subList(0, 120)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    for (int i = 0; i < 120; i++) {
      assertThat(replies.get(i).header("RateLimit-Policy")).isEqualTo("\"tenant\";q=120;w=60");
      assertThat(replies.get(i).header("RateLimit")).startsWith("\"tenant\";r=");
    }
    assertThat(replies.get(0).header("RateLimit")).isEqualTo("\"tenant\";r=119;t=0");

    Reply rejected = replies.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(rejected.assertError(429, "rate_limited").getString("message")).contains("120");
    int retryAfter = Integer.parseInt(rejected.header("Retry-After"));
    assertThat(retryAfter).isGreaterThanOrEqualTo(1);
    assertThat(rejected.header("RateLimit")).matches("\"tenant\";r=0;t=[1-9][0-9]*");
    assertThat(rejected.header("RateLimit-Policy")).isEqualTo("\"tenant\";q=120;w=60");
    assertThat(replies.stream().filter(r -> r.status() != 200 && r.status() != 429)).isEmpty();

    Reply last = app.get("/v1/tenants/" + tenant, key);
    if (last.status() == 429) {
      Thread.sleep(Integer.parseInt(last.header("Retry-After")) * 1000L);
      last = app.get("/v1/tenants/" + tenant, key);
    }
    last.assertStatus(200);
  }

  @Test
  @DisplayName("all keys of a tenant share one bucket, and requests rejected before auth cost nothing")
  void sharedBucketAndUnauthenticatedFree() {
    String tenant = app.tenant("starter");
    String first = app.key(tenant, "test").getString("key");
    String second = app.key(tenant, "live").getString("key");
    for (int i = 0; i < 30; i++) {
      app.get("/v1/tenants/" + tenant, "lrn_test_" + "0".repeat(32)).assertError(401, "api_key_invalid");
    }
    assertThat(app.get("/v1/tenants/" + tenant, first).header("RateLimit")).isEqualTo("\"tenant\";r=119;t=0");
    assertThat(app.get("/v1/tenants/" + tenant, second).header("RateLimit")).isEqualTo("\"tenant\";r=118;t=0");
    Reply notFound = app.get("/v1/batches/bat_missing", first);
    notFound.assertError(404, "batch_not_found");
    assertThat(notFound.header("RateLimit")).isEqualTo("\"tenant\";r=117;t=0");
  }

  @Test
  @DisplayName("a plan change applies to the tenant's bucket at once")
  void planChangeAppliesAtOnce() {
    String tenant = app.tenant("starter");
    String key = app.key(tenant, "test").getString("key");
    int status = 200;
    for (int i = 0; i < 200 && status == 200; i++) {
      status = app.get("/v1/tenants/" + tenant, key).status();
    }
    assertThat(status).isEqualTo(429);
    app.admin("PATCH", "/admin/v1/tenants/" + tenant, new JsonObject().put("plan", "industry"))
        .assertStatus(200);
    Reply upgraded = app.get("/v1/tenants/" + tenant, key).assertStatus(200);
    assertThat(upgraded.header("RateLimit-Policy")).isEqualTo("\"tenant\";q=6000;w=60");
    assertThat(upgraded.json().getString("plan")).isEqualTo("industry");
  }
}
