package com.learncoin.gateway.anchoring;

import java.nio.file.Path;
import java.util.Objects;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;

/** The default wallet: a secp256k1 key in memory, kept in a file by {@link Wallets}. */
public final class LocalWallet implements WalletSigner {
  private final Credentials credentials;

  public LocalWallet(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** The key in {@code keyFile}, created on first use (see {@link Wallets#loadOrCreate}). */
  public static LocalWallet loadOrCreate(Path keyFile) {
    return new LocalWallet(Wallets.loadOrCreate(keyFile));
  }

  @Override
  public String address() {
    return credentials.getAddress();
  }

  @Override
  public Sign.SignatureData sign(byte[] keccakHash) {
    if (keccakHash == null || keccakHash.length != 32) {
      throw new IllegalArgumentException("a keccak256 hash is 32 bytes");
    }
    // needToHash = false: the caller hashed already. web3j signs deterministically (RFC 6979),
    // canonicalises s and sets v = 27 + recovery id.
    return Sign.signMessage(keccakHash, credentials.getEcKeyPair(), false);
  }
}
