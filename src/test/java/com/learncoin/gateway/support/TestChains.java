package com.learncoin.gateway.support;

import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.Networks;
import java.nio.file.Path;

/**
 * Two real anvil nodes on loopback for the whole test run: Base Sepolia's chain id for test keys,
 * Base's for live keys. Installed by the test command ({@code npm ci}), stopped at JVM exit.
 */
public final class TestChains {

  private static LocalChainNode test;
  private static LocalChainNode live;

  private TestChains() {}

  public static synchronized String testRpc() {
    start();
    return test.rpcUrl();
  }

  public static synchronized String liveRpc() {
    start();
    return live.rpcUrl();
  }

  /** Gives an address ether on both nodes, as an operator funds the gateway's wallet. */
  public static synchronized void fund(String address) {
    start();
    test.fund(address);
    live.fund(address);
  }

  /** The anvil binary: chain tests never skip, they fail saying what to install. */
  public static Path anvil() {
    return LocalChainNode.findBinary().orElseThrow(() -> new IllegalStateException(
        "anvil is missing: run npm ci in the project directory (it installs the pinned "
            + "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil) or set LEARNCOIN_ANVIL_BIN"));
  }

  private static void start() {
    if (test != null) {
      return;
    }
    test = LocalChainNode.start(anvil(), Networks.TEST_CHAIN_ID, null, 0);
    live = LocalChainNode.start(anvil(), Networks.LIVE_CHAIN_ID, null, 0);
    LocalChainNode t = test;
    LocalChainNode l = live;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      t.close();
      l.close();
    }));
  }
}
