package com.learncoin.gateway.anchoring;

import com.learncoin.gateway.resilience.DependencyBreaker;
import java.util.Map;

/**
 * The networks a batch can go to, each with its chain client and breaker: test keys anchor on
 * Base Sepolia, live keys on Base; a network without an RPC URL may be absent.
 */
public record Networks(Map<String, Network> byName) {
  public static final String TEST = "base-sepolia";
  public static final String LIVE = "base";
  public static final long TEST_CHAIN_ID = 84_532;
  public static final long LIVE_CHAIN_ID = 8_453;

  public record Network(String name, long chainId, ChainClient client, DependencyBreaker breaker) {}

  /** Whether {@code name} is configured here (an RPC URL, or the local default chains). */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public Network get(String name) {
    Network network = byName.get(name);
    if (network == null) {
      throw new IllegalArgumentException("unknown network " + name);
    }
    return network;
  }

  public static long chainIdOf(String network) {
    return TEST.equals(network) ? TEST_CHAIN_ID : LIVE_CHAIN_ID;
  }
}
