package com.learncoin.gateway.signing;

/**
 * Signs credential proofs with an Ed25519 key: a local key by default, a Cloud KMS key version
 * when configured. Calls block (file or network I/O), so they run on worker threads only.
 */
public interface Signer {
  /** The raw 32-byte Ed25519 public key. */
  byte[] publicKey();

  /** A 64-byte Ed25519 signature over {@code data}; throws {@link SignerUnavailableException}. */
  byte[] sign(byte[] data);

  /** For logs and health: "local" or the KMS key version name. */
  String describe();
}
