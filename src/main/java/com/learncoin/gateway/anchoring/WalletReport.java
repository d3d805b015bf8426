package com.learncoin.gateway.anchoring;

import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code java -jar … wallet} prints: the address that pays for anchoring on each network, so
 * an operator can fund it before the first batch, without starting the server. It only reads: a
 * local wallet that does not exist yet is reported, not created.
 */
public final class WalletReport {
  private WalletReport() {}

  public static List<String> lines(Config config) {
    if ("local".equals(config.wallet())) {
      Path keyFile = config.dataDir().resolve(Chains.WALLET_KEY_FILE);
      if (!Files.exists(keyFile)) {
        throw new ConfigException("no wallet yet: " + keyFile.toAbsolutePath() + " does not exist "
            + "(the gateway creates it at its first start; run this from the gateway's directory, or "
            + "set LEARNCOIN_DATA_DIR to its data dir)");
      }
    }
    String address = Chains.wallet(config).address();
    List<String> lines = new ArrayList<>();
    boolean local = Chains.usesLocalNodes(config);
    lines.add(line(Networks.TEST, Networks.TEST_CHAIN_ID, address, config.chainTestRpc(), local));
    lines.add(line(Networks.LIVE, Networks.LIVE_CHAIN_ID, address, config.chainLiveRpc(), local));
    return lines;
  }

  private static String line(String network, long chainId, String address, Optional<String> rpc,
      boolean local) {
    String where = rpc.isPresent() ? "via LEARNCOIN_CHAIN_" + (chainId == Networks.TEST_CHAIN_ID
        ? "TEST" : "LIVE") + "_RPC" : local ? "on the local anvil node (funded at start)"
        : "not configured";
    return String.format("%-13s chain %-6d wallet %s  %s", network, chainId, address, where);
  }
}
