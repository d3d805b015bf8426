package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest(env = "LEARNCOIN_CHAIN_LIVE_RPC=")
@DisplayName("A network without an RPC URL (another one set) refuses its batches and is not in readiness")
class UnconfiguredNetworkTest {
  private static TestGateway app;

  @Test
  @DisplayName("live batch: 422 anchoring_chain_unavailable naming the network, nothing stored; test batches go on")
  void liveRefused() {
    String tenant = app.tenant("institution");
    String live = app.key(tenant, "live").getString("key");
    String test = app.key(tenant, "test").getString("key");
    assertThat(app.post("/v1/batches", live, Batches.of(1).encode())
        .assertError(422, "anchoring_chain_unavailable").getString("message"))
        .contains("base is not configured");
    assertThat(app.queryLong("SELECT count(*) FROM batches WHERE tenant_id = ?", tenant)).isZero();
    String batchId = app.post("/v1/batches", test, Batches.of(1).encode()).assertStatus(202).json()
        .getString("id");
    Batches.awaitStatus(app, test, batchId, "anchored");
    JsonObject ready = app.send("GET", "/health/ready", null).assertStatus(200).json();
    assertThat(ready.getJsonObject("checks").fieldNames())
        .containsExactlyInAnyOrder("database", "signer", "chain:base-sepolia");
  }
}
