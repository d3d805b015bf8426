package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.support.GatewayLauncher;
import com.learncoin.gateway.support.TestChains;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A second start on a running gateway's data dir stops at once and harms nothing")
class DataDirLockTest {

  @Test
  @DisplayName("two real processes: the second exits 2 naming the first's pid; the first keeps its database")
  void secondStartRefused() throws Exception {
    Path dataDir = Files.createTempDirectory("learncoin-lock");
    Process first = launch(dataDir).start();
    try {
      int port = GatewayLauncher.awaitListening(first);
      assertThat(ready(port)).isEqualTo(200);

      Process second = launch(dataDir).start();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second start ends by itself").isTrue();
      String stderr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(second.exitValue()).isEqualTo(2);
      assertThat(stderr.trim()).startsWith("learncoin: data dir ")
          .contains("in use by pid " + first.pid());
      // The first gateway's embedded PostgreSQL was not taken for a leftover and stopped.
      assertThat(first.isAlive()).isTrue();
      assertThat(ready(port)).isEqualTo(200);
    } finally {
      first.destroy();
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    // Once the first is gone, the directory is free again.
    Process again = launch(dataDir).start();
    try {
      assertThat(ready(GatewayLauncher.awaitListening(again))).isEqualTo(200);
    } finally {
      again.destroy();
      again.waitFor(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Embedded PostgreSQL (no DB URL) in {@code dataDir}; the shared test chains, its wallet funded
   * there as an operator would (an unfunded wallet is not ready: wallet_underfunded).
   */
  private static GatewayLauncher launch(Path dataDir) {
    TestChains.fund(Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress());
    return GatewayLauncher.java("run")
        .with("LEARNCOIN_DATA_DIR", dataDir.toString())
        .with("LEARNCOIN_HTTP_PORT", "0")
        .with("LEARNCOIN_CHAIN_TEST_RPC", TestChains.testRpc())
        .with("LEARNCOIN_CHAIN_LIVE_RPC", TestChains.liveRpc());
  }

  private static int ready(int port) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
