package com.learncoin.gateway.anchoring;

import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.support.FakeKms;
import com.learncoin.gateway.support.FakeKms.Mode;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.TransactionType;
import org.web3j.utils.Numeric;

@DisplayName("KMS wallet: the real KMS client against an in-process KMS with a real secp256k1 key")
class KmsWalletTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BigInteger HALF_N = Sign.CURVE_PARAMS.getN().shiftRight(1);

  private FakeKms kms;
  private KmsWallet wallet;

  @BeforeEach
  void start() {
    kms = new FakeKms();
    wallet = new KmsWallet(kms.client(), kms.secp256k1KeyVersionName());
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  @Test
  @DisplayName("the address is the last 20 bytes of keccak256 of the KMS key's public point")
  void addressOfThePublicKey() {
    byte[] point = kms.secp256k1PublicKey();
    byte[] hash = Hash.sha3(Arrays.copyOfRange(point, 1, point.length));

    assertThat(wallet.address())
        .isEqualTo(Numeric.toHexString(Arrays.copyOfRange(hash, 12, 32)))
        .matches("0x[0-9a-f]{40}");
    assertThat(wallet.keyVersionName()).isEqualTo(kms.secp256k1KeyVersionName());
  }

  @Test
  @DisplayName("every signature is low-s and recovers to the address, high-s answers included")
  void signaturesRecoverToTheAddress() throws Exception {
    for (int i = 0; i < 32; i++) {
      byte[] hash = new byte[32];
      RANDOM.nextBytes(hash);
      Sign.SignatureData signature = wallet.sign(hash);

      assertThat(signature.getV()).hasSize(1);
      assertThat(signature.getV()[0]).isIn((byte) 27, (byte) 28);
      assertThat(signature.getR()).hasSize(32);
      assertThat(new BigInteger(1, signature.getS())).isLessThanOrEqualTo(HALF_N);
      assertThat(Numeric.prependHexPrefix(
          Keys.getAddress(Sign.signedMessageHashToKey(hash, signature))))
          .isEqualTo(wallet.address());
    }
    // Each answer has a high s with odds 1/2, so 32 without one happen once in 2^32 runs.
    assertThat(kms.highSSignatures()).as("high-s answers folded").isPositive();
    assertThat(kms.signCalls()).isEqualTo(32);
  }

  @Test
  @DisplayName("a transaction signed through KMS decodes with the KMS address as its sender")
  void signsTransactions() throws Exception {
    RawTransaction tx = RawTransaction.createTransaction(TEST_CHAIN_ID, BigInteger.ZERO,
        BigInteger.valueOf(30_000), wallet.address(), BigInteger.ZERO,
        Numeric.toHexString(new byte[32]), BigInteger.ONE, BigInteger.TEN);
    byte[] signed = TransactionEncoder.encode(tx,
        wallet.sign(Hash.sha3(TransactionEncoder.encode(tx))));

    SignedRawTransaction decoded =
        (SignedRawTransaction) TransactionDecoder.decode(Numeric.toHexString(signed));
    assertThat(decoded.getFrom()).isEqualTo(wallet.address());
    assertThat(decoded.getType()).isEqualTo(TransactionType.EIP1559);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Mode.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED"})
  @DisplayName("a KMS answering an error status makes the chain unavailable (retryable) in seconds")
  void errorStatus(Mode mode) {
    kms.mode(mode);

    assertUnavailableWithin(Duration.ofSeconds(3), () -> wallet.sign(new byte[32]))
        .hasMessageContaining(mode.name())
        .hasMessageContaining(kms.secp256k1KeyVersionName());
    assertThat(kms.signCalls()).as("retries are few").isBetween(1, 3);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Mode.class, names = {"CORRUPT_SIGNATURE_CRC32C", "UNVERIFIED_DATA_CRC32C"})
  @DisplayName("an answer failing a CRC32C integrity check is refused as unavailable")
  void integrity(Mode mode) {
    kms.mode(mode);

    assertUnavailableWithin(Duration.ofSeconds(3), () -> wallet.sign(new byte[32]))
        .hasMessageContaining("integrity");
    kms.mode(Mode.OK);
    assertThat(wallet.sign(new byte[32]).getR()).hasSize(32);
  }

  @Test
  @DisplayName("a well-formed signature by another key is refused as unavailable")
  void foreignSignature() {
    kms.mode(Mode.FOREIGN_SECP256K1_SIGNATURE);

    assertUnavailableWithin(Duration.ofSeconds(3), () -> wallet.sign(new byte[32]))
        .hasMessageContaining("does not verify");
  }

  @Test
  @DisplayName("a KMS that is down at start-up makes construction fail as unavailable")
  void downAtStartUp() {
    kms.mode(Mode.UNAVAILABLE);

    assertUnavailableWithin(Duration.ofSeconds(3),
        () -> new KmsWallet(kms.client(), kms.secp256k1KeyVersionName()))
        .hasMessageContaining("GetPublicKey")
        .hasMessageContaining("UNAVAILABLE");
  }

  @Test
  @DisplayName("a key version that is not EC_SIGN_SECP256K1_SHA256 is refused at construction")
  void wrongAlgorithm() {
    assertThatThrownBy(() -> new KmsWallet(kms.client(), kms.keyVersionName()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("EC_SIGN_ED25519")
        .hasMessageContaining("EC_SIGN_SECP256K1_SHA256");
  }

  @Test
  @DisplayName("a hash that is not 32 bytes is refused before KMS is asked")
  void hashMustBe32Bytes() {
    assertThatThrownBy(() -> wallet.sign(new byte[20]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(kms.signCalls()).isZero();
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertUnavailableWithin(
      Duration limit, ThrowingCallable call) {
    long started = System.nanoTime();
    var thrown = assertThatThrownBy(call).isInstanceOf(ChainUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(limit);
    return thrown;
  }
}
