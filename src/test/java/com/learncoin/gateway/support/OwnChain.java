package com.learncoin.gateway.support;

import static com.learncoin.gateway.anchoring.Networks.LIVE_CHAIN_ID;
import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;

import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.Wallets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway on anvil nodes of its own, for tests that change how blocks are mined (interval
 * mining, drops, reorgs) without disturbing the shared {@link TestChains}. The wallet is made
 * and funded before the gateway starts.
 */
public final class OwnChain implements AutoCloseable {
  public final LocalChainNode chain;
  public final LocalChainNode live;
  public final String wallet;
  public final Path dataDir;

  public OwnChain() {
    try {
      dataDir = Files.createTempDirectory("learncoin-own-chain");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    wallet = Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress();
    chain = LocalChainNode.start(TestChains.anvil(), TEST_CHAIN_ID, null, 0);
    live = LocalChainNode.start(TestChains.anvil(), LIVE_CHAIN_ID, null, 0);
    chain.fund(wallet);
    live.fund(wallet);
  }

  public TestGateway gateway(Vertx vertx, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("LEARNCOIN_DATA_DIR", dataDir.toString());
    env.put("LEARNCOIN_CHAIN_TEST_RPC", chain.rpcUrl());
    env.put("LEARNCOIN_CHAIN_LIVE_RPC", live.rpcUrl());
    env.putAll(overrides);
    return TestGateway.start(vertx, env);
  }

  public Object rpc(String method, Object... params) {
    JsonArray array = new JsonArray();
    for (Object p : params) {
      array.add(p);
    }
    return chain.call(method, array);
  }

  @Override
  public void close() {
    chain.close();
    live.close();
  }
}
