package com.learncoin.gateway.signing;

import static com.learncoin.gateway.signing.LocalEd25519SignerTest.bouncyCastleVerifies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.learncoin.gateway.support.FakeKms;
import com.learncoin.gateway.support.FakeKms.Mode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Cloud KMS signer: the real KMS client against an in-process KMS with a real key")
class KmsSignerTest {
  private static final byte[] DATA = "urn:uuid:credential-42".getBytes(StandardCharsets.UTF_8);

  private FakeKms kms;
  private Signer signer;

  @BeforeEach
  void start() {
    kms = new FakeKms();
    signer = Signers.kms(kms.client(), kms.keyVersionName());
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  @Test
  @DisplayName("signatures verify against the KMS key version's public key")
  void signs() {
    byte[] signature = signer.sign(DATA);

    assertThat(signer.publicKey()).isEqualTo(kms.publicKey());
    assertThat(signature).hasSize(64);
    assertThat(bouncyCastleVerifies(kms.publicKey(), DATA, signature)).isTrue();
    assertThat(signer.describe()).isEqualTo(kms.keyVersionName());
    assertThat(kms.signCalls()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Mode.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED"})
  @DisplayName("a KMS answering an error status makes the signer unavailable within seconds")
  void errorStatus(Mode mode) {
    kms.mode(mode);

    assertUnavailableWithin(Duration.ofSeconds(3), () -> signer.sign(DATA))
        .hasMessageContaining(mode.name())
        .hasMessageContaining(kms.keyVersionName());
    assertThat(kms.signCalls()).as("retries are few").isBetween(1, 3);
  }

  @Test
  @DisplayName("a KMS that never answers makes the signer unavailable once its deadline passes")
  void hangs() {
    kms.mode(Mode.HANG);

    assertUnavailableWithin(Duration.ofSeconds(5), () -> signer.sign(DATA))
        .hasMessageContaining("DEADLINE_EXCEEDED");
  }

  @Test
  @DisplayName("a signature whose signature_crc32c does not match is refused")
  void corruptSignatureCrc() {
    kms.mode(Mode.CORRUPT_SIGNATURE_CRC32C);

    assertUnavailableWithin(Duration.ofSeconds(3), () -> signer.sign(DATA))
        .hasMessageContaining("signature_crc32c");
  }

  @Test
  @DisplayName("an answer that did not verify data_crc32c is refused")
  void unverifiedDataCrc() {
    kms.mode(Mode.UNVERIFIED_DATA_CRC32C);

    assertUnavailableWithin(Duration.ofSeconds(3), () -> signer.sign(DATA))
        .hasMessageContaining("data_crc32c");
  }

  @Test
  @DisplayName("once KMS is back, signing works again with the same signer")
  void recovers() {
    kms.mode(Mode.UNAVAILABLE);
    assertUnavailableWithin(Duration.ofSeconds(3), () -> signer.sign(DATA));
    kms.mode(Mode.CORRUPT_SIGNATURE_CRC32C);
    assertUnavailableWithin(Duration.ofSeconds(3), () -> signer.sign(DATA));

    kms.mode(Mode.OK);

    assertThat(bouncyCastleVerifies(kms.publicKey(), DATA, signer.sign(DATA))).isTrue();
  }

  @Test
  @DisplayName("a KMS that is down at start-up makes construction fail as unavailable")
  void downAtStartUp() {
    kms.mode(Mode.UNAVAILABLE);

    assertUnavailableWithin(Duration.ofSeconds(3),
        () -> new KmsSigner(kms.client(), kms.keyVersionName()))
        .hasMessageContaining("GetPublicKey")
        .hasMessageContaining("UNAVAILABLE");
  }

  @Test
  @DisplayName("a key version that is not EC_SIGN_ED25519 is refused at construction")
  void wrongAlgorithm() {
    kms.algorithm(CryptoKeyVersionAlgorithm.EC_SIGN_SECP256K1_SHA256);

    assertThatThrownBy(() -> new KmsSigner(kms.client(), kms.keyVersionName()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("EC_SIGN_SECP256K1_SHA256")
        .hasMessageContaining("EC_SIGN_ED25519");
  }

  @Test
  @DisplayName("an unknown key version is refused as unavailable, naming NOT_FOUND")
  void unknownKeyVersion() {
    String other = kms.keyVersionName().replace("cryptoKeyVersions/1", "cryptoKeyVersions/9");

    assertUnavailableWithin(Duration.ofSeconds(3), () -> new KmsSigner(kms.client(), other))
        .hasMessageContaining("NOT_FOUND");
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
      assertUnavailableWithin(Duration limit, ThrowingCallable call) {
    long started = System.nanoTime();
    var thrown = assertThatThrownBy(call).isInstanceOf(SignerUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(limit);
    return thrown;
  }
}
