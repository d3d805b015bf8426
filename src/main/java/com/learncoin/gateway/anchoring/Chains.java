package com.learncoin.gateway.anchoring;

import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.config.ConfigException;
import com.learncoin.gateway.resilience.DependencyBreaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain side of start-up (blocking): a client per network, both with the configured wallet
 * (the key in the data directory, or a Cloud KMS key version). With no RPC URL at all (the
 * embedded default) each network gets a local anvil node on loopback, its state kept in the data
 * directory, and the wallet funded there, so a default run anchors with no setup. Once any RPC URL
 * is set, a network without one is not configured: never a throwaway chain standing in for Base.
 */
public final class Chains implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Chains.class);
  public static final String WALLET_KEY_FILE = "wallet.key";

  private final Networks networks;
  private final List<LocalChainNode> localNodes;

  private Chains(Networks networks, List<LocalChainNode> localNodes) {
    this.networks = networks;
    this.localNodes = localNodes;
  }

  /** Local anvil nodes run only when no RPC URL is configured at all. */
  public static boolean usesLocalNodes(Config config) {
    return config.chainTestRpc().isEmpty() && config.chainLiveRpc().isEmpty();
  }

  public static Chains open(Config config) {
    return open(config, Chains::wallet);
  }

  /** As {@link #open(Config)} with the wallet built by {@code wallets} (tests: a fake KMS). */
  public static Chains open(Config config, Function<Config, WalletSigner> wallets) {
    WalletSigner wallet = wallets.apply(config);
    List<LocalChainNode> started = new ArrayList<>();
    Map<String, Networks.Network> byName = new LinkedHashMap<>();
    boolean local = usesLocalNodes(config);
    try {
      for (Networks.Network network : List.of(
          new Networks.Network(Networks.TEST, Networks.TEST_CHAIN_ID, null, null),
          new Networks.Network(Networks.LIVE, Networks.LIVE_CHAIN_ID, null, null))) {
        Optional<String> rpc = network.chainId() == Networks.TEST_CHAIN_ID ? config.chainTestRpc()
            : config.chainLiveRpc();
        if (rpc.isPresent() || local) {
          byName.put(network.name(), network(network.name(), network.chainId(), rpc, config, wallet,
              started));
        } else {
          LOG.warn("LEARNCOIN_CHAIN_{}_RPC is not set: network {} is not configured, and batches "
              + "for it are refused with 422 anchoring_chain_unavailable",
              network.chainId() == Networks.TEST_CHAIN_ID ? "TEST" : "LIVE", network.name());
        }
      }
    } catch (RuntimeException e) {
      started.forEach(LocalChainNode::close);
      throw e;
    }
    LOG.info("Anchoring wallet {} on {} (fund it on each live network before the first batch; "
        + "'java -jar learncoin-gateway.jar wallet' prints it)", wallet.address(), byName.keySet());
    return new Chains(new Networks(byName), started);
  }

  private static Networks.Network network(String name, long chainId, Optional<String> rpc,
      Config config, WalletSigner wallet, List<LocalChainNode> started) {
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
      node.fund(wallet.address());
      url = node.rpcUrl();
    }
    return new Networks.Network(name, chainId, new ChainClient(url, chainId, wallet,
        config.maxFeeGwei().signum() == 0 ? null : config.maxFeeGwei().movePointRight(9)
            .toBigIntegerExact()),
        new DependencyBreaker(name, 2));
  }

  /**
   * {@code wallet = "local"} gives the key in the data directory; anything else is a Cloud KMS key
   * version name (validated by the config loader), reached with application default credentials.
   */
  public static WalletSigner wallet(Config config) {
    if ("local".equals(config.wallet())) {
      return LocalWallet.loadOrCreate(config.dataDir().resolve(WALLET_KEY_FILE));
    }
    KeyManagementServiceClient client;
    try {
      client = KeyManagementServiceClient.create();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud KMS client for the wallet"
          + " (are application default credentials set up?)", e);
    }
    // As for the credential signer, the client lives as long as the process (daemon threads).
    try {
      return new KmsWallet(client, config.wallet());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
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
