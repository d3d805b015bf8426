package com.learncoin.gateway.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

@DisplayName("Local wallet: generated once, kept owner-only, the same key after a restart")
class WalletsTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("the first call creates a 0600 key file; later calls load the same key")
  void createsThenReloads() throws Exception {
    Path keyFile = dir.resolve("chain").resolve(Chains.WALLET_KEY_FILE);
    Credentials created = Wallets.loadOrCreate(keyFile);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(keyFile).trim()).matches("[0-9a-f]{64}");
    assertThat(created.getAddress()).matches("0x[0-9a-f]{40}");
    assertThat(Wallets.loadOrCreate(keyFile).getAddress()).isEqualTo(created.getAddress());
    try (var files = Files.list(keyFile.getParent())) {
      assertThat(files).containsExactly(keyFile);
    }
  }

  @Test
  @DisplayName("two key files hold two different keys")
  void keysAreRandom() {
    assertThat(Wallets.loadOrCreate(dir.resolve("a")).getAddress())
        .isNotEqualTo(Wallets.loadOrCreate(dir.resolve("b")).getAddress());
  }

  @Test
  @DisplayName("a key file that is not a secp256k1 key stops start-up with a clear message")
  void refusesGarbage() throws Exception {
    Path keyFile = dir.resolve(Chains.WALLET_KEY_FILE);
    Files.writeString(keyFile, "not a key\n");
    assertThatThrownBy(() -> Wallets.loadOrCreate(keyFile))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("64 hex digits");
  }
}
