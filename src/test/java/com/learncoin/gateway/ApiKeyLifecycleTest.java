package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("Key revocation and allowlist changes reach every node within a second")
class ApiKeyLifecycleTest {
  private static TestGateway nodeA;
  private static TestGateway nodeB;

  @BeforeAll
  static void start() {
    nodeB = nodeA.anotherNode(); // @GatewayTest set both fields to its gateway, nodeA
  }

  @AfterAll
  static void stop() {
    nodeB.close();
  }

  @Test
  @DisplayName("a key revoked on node A is rejected on node B within one second")
  void revocationAcrossNodes() {
    String tenant = nodeA.tenant("industry");
    JsonObject key = nodeA.key(tenant, "test");
    String plaintext = key.getString("key");
    nodeB.get("/v1/tenants/" + tenant, plaintext).assertStatus(200);
    nodeB.get("/v1/tenants/" + tenant, plaintext).assertStatus(200);

    long revokedAt = System.nanoTime();
    JsonObject revoked = nodeA.admin("POST", "/admin/v1/keys/" + key.getString("id") + "/revoke", null)
        .assertStatus(200).json();
    assertThat(revoked.getString("revoked_at")).isNotNull();
    assertThat(revoked.containsKey("key")).isFalse();
    long millis = Eventually.millisUntil(() -> nodeB.get("/v1/tenants/" + tenant, plaintext).status() == 401,
        revokedAt);
    assertThat(millis).as("ms until node B rejects the revoked key").isLessThan(1_000);
    nodeB.get("/v1/tenants/" + tenant, plaintext).assertError(401, "api_key_revoked");
  }

  @Test
  @DisplayName("usage read (and cached) on node B follows a batch accepted on node A within a second")
  void usageAcrossNodes() {
    String tenant = nodeA.tenant("industry");
    String key = nodeA.key(tenant, "test").getString("key");
    assertThat(testUsage(nodeB.get("/v1/tenants/" + tenant, key).assertStatus(200))).isZero();
    long postedAt = System.nanoTime();
    nodeA.post("/v1/batches", key, com.learncoin.gateway.support.Batches.of(3).encode())
        .assertStatus(202);
    assertThat(testUsage(nodeA.get("/v1/tenants/" + tenant, key).assertStatus(200))).isEqualTo(3);
    long millis = Eventually.millisUntil(() -> testUsage(nodeB.get("/v1/tenants/" + tenant, key)) == 3,
        postedAt);
    assertThat(millis).isLessThan(1_000);
  }

  private static int testUsage(Reply tenant) {
    return tenant.json().getJsonObject("usage").getJsonObject("credentials_issued").getInteger("test");
  }

  @Test
  @DisplayName("only a hash of the key is stored, and the plaintext is shown once")
  void onlyHashStored() {
    String tenant = nodeA.tenant("starter");
    JsonObject key = nodeA.key(tenant, "live");
    assertThat(key.getString("key")).matches("lrn_live_[0-9A-Za-z]{32}");
    assertThat(key.getString("id")).startsWith("key_");
    assertThat(nodeA.queryLong("SELECT count(*) FROM api_keys WHERE id = ? AND key_hash = sha256(?::bytea)",
        key.getString("id"), key.getString("key"))).isOne();
    assertThat(nodeA.queryLong("SELECT count(*) FROM api_keys a WHERE position(? in a::text) > 0",
        key.getString("key").substring(9))).isZero();
  }

  @Test
  @DisplayName("a client outside the allowlist is 401 ip_not_allowed; widening it on A lets it in on B")
  void allowlistAcrossNodes() {
    String tenant = nodeA.tenant("industry");
    JsonObject key = nodeA.key(tenant, "test", "203.0.113.0/24", "2001:db8::/32");
    String plaintext = key.getString("key");
    JsonObject error = nodeB.get("/v1/tenants/" + tenant, plaintext).assertError(401, "ip_not_allowed");
    assertThat(error.getString("message")).contains("127.0.0.1").contains(key.getString("id"));

    long changedAt = System.nanoTime();
    nodeA.admin("PUT", "/admin/v1/keys/" + key.getString("id") + "/ip-allowlist", new JsonObject()
        .put("ip_allowlist", new JsonArray().add("127.0.0.0/8").add("::1"))).assertStatus(200);
    long millis = Eventually.millisUntil(() -> nodeB.get("/v1/tenants/" + tenant, plaintext).status() == 200,
        changedAt);
    assertThat(millis).isLessThan(1_000);

    nodeA.admin("PUT", "/admin/v1/keys/" + key.getString("id") + "/ip-allowlist", new JsonObject()
        .put("ip_allowlist", new JsonArray().add("198.51.100.7"))).assertStatus(200);
    Eventually.millisUntil(() -> nodeB.get("/v1/tenants/" + tenant, plaintext).status() == 401, System.nanoTime());
    nodeB.get("/v1/tenants/" + tenant, plaintext).assertError(401, "ip_not_allowed");
    nodeA.admin("PUT", "/admin/v1/keys/key_missing/ip-allowlist", new JsonObject()
        .put("ip_allowlist", new JsonArray())).assertError(404, "route_not_found");
  }

  @Test
  @DisplayName("X-Forwarded-For is ignored from untrusted peers and honoured from trusted proxies")
  void forwardedFor(Vertx vertx) {
    String tenant = nodeA.tenant("industry");
    String plaintext = nodeA.key(tenant, "test", "203.0.113.5").getString("key");
    Reply direct = nodeA.send("GET", "/v1/tenants/" + tenant, null, "Authorization",
        "Bearer " + plaintext, "X-Forwarded-For", "203.0.113.5");
    direct.assertError(401, "ip_not_allowed");

    try (TestGateway behindProxy = TestGateway.start(vertx,
        Map.of("LEARNCOIN_TRUSTED_PROXIES", "127.0.0.1/32,::1"))) {
      String t = behindProxy.tenant("industry");
      String k = behindProxy.key(t, "test", "203.0.113.5").getString("key");
      behindProxy.send("GET", "/v1/tenants/" + t, null, "Authorization", "Bearer " + k,
          "X-Forwarded-For", "198.51.100.1, 203.0.113.5").assertStatus(200);
      JsonObject error = behindProxy.send("GET", "/v1/tenants/" + t, null, "Authorization",
          "Bearer " + k, "X-Forwarded-For", "203.0.113.5, 198.51.100.1")
          .assertError(401, "ip_not_allowed");
      assertThat(error.getString("message")).contains("198.51.100.1");
    }
  }


}
