package com.learncoin.gateway.anchoring;

import org.web3j.crypto.Sign;

/**
 * The chain wallet's key, wherever it lives: a file of the data directory ({@link LocalWallet}) or
 * a Cloud KMS key version ({@link KmsWallet}). {@link ChainClient} builds and encodes transactions
 * and asks only for the signature, so the private key never has to leave its store.
 */
public interface WalletSigner {
  /** The wallet's address, "0x" + 40 lowercase hex digits. */
  String address();

  /**
   * Signs a 32-byte keccak256 hash as it is (no further hashing, no message prefix). The answer is
   * an Ethereum signature: low s, and v = 27 + the recovery id, so it recovers to {@link #address()}.
   * May block (network I/O): call from worker threads only.
   *
   * @throws ChainUnavailableException the key cannot be used now; try again later
   */
  Sign.SignatureData sign(byte[] keccakHash);
}
