package com.learncoin.gateway.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Local Ed25519 signer: a key generated once, kept 0600 in the data directory")
class LocalEd25519SignerTest {
  // RFC 8032 §7.1, TEST 1: the empty message under a fixed key.
  private static final HexFormat HEX = HexFormat.of();
  private static final String RFC_SEED =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String RFC_PUBLIC_KEY =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String RFC_SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
          + "1cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @TempDir Path dir;

  @Test
  @DisplayName("a signature verifies with BouncyCastle's verifier and the JDK's EdDSA")
  void signatureVerifies() throws Exception {
    Signer signer = LocalEd25519Signer.loadOrCreate(dir.resolve("key"));
    byte[] data = "urn:uuid:credential-1".getBytes(StandardCharsets.UTF_8);

    byte[] signature = signer.sign(data);

    assertThat(signature).hasSize(64);
    assertThat(signer.publicKey()).hasSize(32);
    assertThat(bouncyCastleVerifies(signer.publicKey(), data, signature)).isTrue();
    assertThat(jdkVerifies(signer.publicKey(), data, signature)).isTrue();
    data[0] ^= 1;
    assertThat(bouncyCastleVerifies(signer.publicKey(), data, signature)).isFalse();
    assertThat(signer.describe()).isEqualTo("local");
  }

  @Test
  @DisplayName("a key file holding the RFC 8032 test seed signs exactly as the RFC says")
  void rfc8032Vector() throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, RFC_SEED + "\n");

    Signer signer = LocalEd25519Signer.loadOrCreate(file);

    assertThat(HEX.formatHex(signer.publicKey())).isEqualTo(RFC_PUBLIC_KEY);
    assertThat(HEX.formatHex(signer.sign(new byte[0]))).isEqualTo(RFC_SIGNATURE);
  }

  @Test
  @DisplayName("the key survives a restart: loading the file again gives the same key")
  void survivesReload() {
    Path file = dir.resolve("key");
    Signer first = LocalEd25519Signer.loadOrCreate(file);
    byte[] data = "batch-7".getBytes(StandardCharsets.UTF_8);
    byte[] signature = first.sign(data);

    Signer second = LocalEd25519Signer.loadOrCreate(file);

    assertThat(second.publicKey()).isEqualTo(first.publicKey());
    assertThat(bouncyCastleVerifies(second.publicKey(), data, signature)).isTrue();
    assertThat(second.sign(data)).isEqualTo(signature);
  }

  @Test
  @DisplayName("a new key file is readable by its owner only (0600), created with its directory")
  void ownerOnly() throws Exception {
    Path file = dir.resolve("data/nested/signing-key.ed25519");

    LocalEd25519Signer.loadOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).matches("[0-9a-f]{64}\n");
    try (var entries = Files.list(file.getParent())) {
      assertThat(entries).containsExactly(file);
    }
  }

  @ParameterizedTest(name = "content \"{0}\" is refused")
  @ValueSource(strings = {"", "not a key", "9d61b19deffd5a60ba844af492ec2cc4",
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6g",
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6000"})
  @DisplayName("a corrupt key file is refused, naming the file but not its content")
  void corruptRefused(String content) throws Exception {
    Path file = dir.resolve("signing-key.ed25519");
    Files.writeString(file, content);

    assertThatThrownBy(() -> LocalEd25519Signer.loadOrCreate(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("9d61b19d"));
    assertThat(Files.readString(file)).isEqualTo(content);
  }

  @Test
  @DisplayName("a large binary file in place of the key is refused without being read whole")
  void binaryRefused() throws Exception {
    Path file = dir.resolve("signing-key.ed25519");
    Files.write(file, new byte[4096]);

    assertThatThrownBy(() -> LocalEd25519Signer.loadOrCreate(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  @DisplayName("8 threads signing at once all get valid signatures")
  void concurrentSigning() throws Exception {
    Signer signer = LocalEd25519Signer.loadOrCreate(dir.resolve("key"));
    byte[] publicKey = signer.publicKey();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          start.await();
          int valid = 0;
          for (int i = 0; i < 500; i++) {
            byte[] data = ("thread " + thread + " message " + i).getBytes(StandardCharsets.UTF_8);
            valid += bouncyCastleVerifies(publicKey, data, signer.sign(data)) ? 1 : 0;
          }
          return valid;
        }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(500);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("processes starting together on a fresh data directory all end up with one key")
  void racingFirstStarts() throws Exception {
    Path file = dir.resolve("signing-key.ed25519");
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> keys = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        keys.add(pool.submit(() -> {
          start.await();
          return LocalEd25519Signer.loadOrCreate(file).publicKey();
        }));
      }
      start.countDown();
      byte[] stored = LocalEd25519Signer.loadOrCreate(file).publicKey();
      for (Future<byte[]> key : keys) {
        assertThat(key.get()).isEqualTo(stored);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("Signers.fromConfig with signer=local keeps the key in the data directory")
  void fromConfig() {
    Signer signer = Signers.fromConfig(
        ConfigLoader.load(Map.of("LEARNCOIN_DATA_DIR", dir.toString()))).gatewayKey();

    assertThat(signer.describe()).isEqualTo("local");
    assertThat(dir.resolve("signing-key.ed25519")).exists();
    assertThat(dir.resolve("key-encryption.key")).exists();
    assertThat(signer.publicKey())
        .isEqualTo(LocalEd25519Signer.loadOrCreate(dir.resolve("signing-key.ed25519")).publicKey());
  }

  static boolean bouncyCastleVerifies(byte[] publicKey, byte[] data, byte[] signature) {
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    verifier.update(data, 0, data.length);
    return verifier.verifySignature(signature);
  }

  private static boolean jdkVerifies(byte[] publicKey, byte[] data, byte[] signature)
      throws Exception {
    // SubjectPublicKeyInfo for id-Ed25519 (RFC 8410) is this fixed prefix and the raw key.
    byte[] spki = new byte[44];
    System.arraycopy(HEX.parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
    System.arraycopy(publicKey, 0, spki, 12, 32);
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(spki)));
    verifier.update(data);
    return verifier.verify(signature);
  }
}
