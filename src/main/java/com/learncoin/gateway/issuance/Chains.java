package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.ChainClient;
import com.learncoin.gateway.anchoring.LocalChainNode;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.Credentials;

/**
 * The chain side of start-up (blocking): a client per network with the wallet from the data
 * directory. A network with no RPC URL gets a local anvil node on loopback, its state kept in the
 * data directory, and the wallet funded there, so a default run anchors with no setup.
 */
public final class Chains implements AutoCloseable {
  private final Networks networks;
  private final List<LocalChainNode> localNodes;

  private Chains(Networks networks, List<LocalChainNode> localNodes) {
    this.networks = networks;
    this.localNodes = localNodes;
  }

  public static Chains open(Config config) {
    Credentials wallet = Wallets.loadOrCreate(config.dataDir().resolve("wallet.key"));
    List<LocalChainNode> started = new ArrayList<>();
    Map<String, Networks.Network> byName = new LinkedHashMap<>();
    try {
      byName.put(Networks.TEST, network(Networks.TEST, Networks.TEST_CHAIN_ID,
          config.chainTestRpc(), config, wallet, started));
      byName.put(Networks.LIVE, network(Networks.LIVE, Networks.LIVE_CHAIN_ID,
          config.chainLiveRpc(), config, wallet, started));
    } catch (RuntimeException e) {
      started.forEach(LocalChainNode::close);
      throw e;
    }
    return new Chains(new Networks(byName), started);
  }

  private static Networks.Network network(String name, long chainId, Optional<String> rpc,
      Config config, Credentials wallet, List<LocalChainNode> started) {
    String url;
    if (rpc.isPresent()) {
      url = rpc.get();
    } else {
      Path anvil = LocalChainNode.findBinary().orElseThrow(() -> new ConfigException(
          "LEARNCOIN_CHAIN_" + (chainId == Networks.TEST_CHAIN_ID ? "TEST" : "LIVE") + "_RPC is "
              + "not set and no local anvil was found: run 'npm ci' or set the RPC URL"));
      LocalChainNode node = LocalChainNode.start(anvil, chainId,
          config.dataDir().resolve("anvil-" + chainId + ".json"), 0);
      started.add(node);
      node.fund(wallet.getAddress());
      url = node.rpcUrl();
    }
    return new Networks.Network(name, chainId, new ChainClient(url, chainId, wallet),
        new DependencyBreaker(name, 2));
  }

  public Networks networks() {
    return networks;
  }

  @Override
  public void close() {
    networks.byName().values().forEach(n -> n.client().close());
    localNodes.forEach(LocalChainNode::close);
  }
}
