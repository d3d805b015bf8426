package com.learncoin.gateway.anchoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.config.ConfigLoader;
import com.learncoin.gateway.support.FakeKms;
import com.learncoin.gateway.support.TestChains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Chains at start-up: both networks anchor from the configured wallet")
class ChainsTest {

  @TempDir
  Path dataDir;

  @Test
  @DisplayName("by default the wallet is the key file of the data directory")
  void localWalletByDefault() {
    try (Chains chains = Chains.open(config())) {
      String address = Wallets.loadOrCreate(dataDir.resolve(Chains.WALLET_KEY_FILE)).getAddress();
      assertThat(chains.networks().get(Networks.TEST).client().address()).isEqualTo(address);
      assertThat(chains.networks().get(Networks.LIVE).client().address()).isEqualTo(address);
    }
  }

  @Test
  @DisplayName("an injected KMS wallet is used on both networks, and no key file is written")
  void injectedKmsWallet() {
    try (FakeKms kms = new FakeKms()) {
      KmsWallet wallet = new KmsWallet(kms.client(), kms.secp256k1KeyVersionName());
      try (Chains chains = Chains.open(config(), config -> wallet)) {
        assertThat(chains.networks().get(Networks.TEST).client().address())
            .isEqualTo(wallet.address());
        assertThat(chains.networks().get(Networks.LIVE).client().address())
            .isEqualTo(wallet.address());
      }
      assertThat(Files.exists(dataDir.resolve(Chains.WALLET_KEY_FILE))).isFalse();
    }
  }

  @Test
  @DisplayName("only the test RPC set: Base is not configured, and no local chain stands in for it")
  void unsetNetworkIsAbsent() throws Exception {
    Config config = ConfigLoader.load(Map.of(
        "LEARNCOIN_DATA_DIR", dataDir.toString(),
        "LEARNCOIN_CHAIN_TEST_RPC", TestChains.testRpc()));
    assertThat(Chains.usesLocalNodes(config)).isFalse();
    try (Chains chains = Chains.open(config)) {
      assertThat(chains.networks().has(Networks.TEST)).isTrue();
      assertThat(chains.networks().has(Networks.LIVE)).isFalse();
      assertThat(chains.networks().byName()).containsOnlyKeys(Networks.TEST);
    }
    try (var files = Files.list(dataDir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("anvil-"));
    }
  }

  private Config config() {
    return ConfigLoader.load(Map.of(
        "LEARNCOIN_DATA_DIR", dataDir.toString(),
        "LEARNCOIN_CHAIN_TEST_RPC", TestChains.testRpc(),
        "LEARNCOIN_CHAIN_LIVE_RPC", TestChains.liveRpc()));
  }
}
