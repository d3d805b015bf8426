package com.learncoin.gateway.anchoring;

import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

@DisplayName("Local wallet signer: the key file's key, signing exactly as web3j's own signer")
class LocalWalletTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("hash-then-sign gives the very bytes TransactionEncoder.signMessage gives")
  void sameBytesAsWeb3j() {
    Credentials credentials = Wallets.loadOrCreate(dir.resolve(Chains.WALLET_KEY_FILE));
    LocalWallet wallet = new LocalWallet(credentials);
    RawTransaction tx = RawTransaction.createTransaction(TEST_CHAIN_ID, BigInteger.valueOf(7),
        BigInteger.valueOf(30_000), wallet.address(), BigInteger.ZERO,
        Numeric.toHexString(new byte[32]), BigInteger.ONE, BigInteger.TEN);

    byte[] ours = TransactionEncoder.encode(tx,
        wallet.sign(Hash.sha3(TransactionEncoder.encode(tx))));

    assertThat(ours).isEqualTo(TransactionEncoder.signMessage(tx, TEST_CHAIN_ID, credentials));
    assertThat(wallet.address()).isEqualTo(credentials.getAddress());
    assertThat(LocalWallet.loadOrCreate(dir.resolve(Chains.WALLET_KEY_FILE)).address())
        .isEqualTo(wallet.address());
  }

  @Test
  @DisplayName("a hash that is not 32 bytes is refused")
  void hashMustBe32Bytes() {
    LocalWallet wallet = LocalWallet.loadOrCreate(dir.resolve(Chains.WALLET_KEY_FILE));
    assertThatThrownBy(() -> wallet.sign(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
