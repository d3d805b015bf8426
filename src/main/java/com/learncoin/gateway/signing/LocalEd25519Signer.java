package com.learncoin.gateway.signing;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key kept in the data directory: generated on first start, loaded afterwards. Uses
 * BouncyCastle's RFC 8032 primitives directly because they are several times faster than the JDK's
 * EdDSA provider and hold no per-call state, so one instance serves all worker threads at once.
 */
public final class LocalEd25519Signer implements Signer {
  private final byte[] seed;
  private final byte[] publicKey;

  /** Takes ownership of {@code seed}. */
  LocalEd25519Signer(byte[] seed) {
    this.seed = seed;
    this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
  }

  /**
   * Loads the key from {@code keyFile}, or generates and stores one (0600) if there is none yet.
   * Blocking (file I/O): call at start-up on a worker thread.
   *
   * @throws IllegalStateException if the file exists but does not hold a valid key
   */
  public static LocalEd25519Signer loadOrCreate(Path keyFile) {
    // Precomputation is a one-off cost of a few milliseconds; pay it at start-up, not on the
    // first request.
    Ed25519.precompute();
    return new LocalEd25519Signer(Ed25519KeyFile.loadOrCreate(keyFile, LocalEd25519Signer::newSeed));
  }

  private static byte[] newSeed() {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    Ed25519.generatePrivateKey(new SecureRandom(), seed);
    return seed;
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] sign(byte[] data) {
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    // Passing the cached public key spares the scalar multiplication that re-deriving it would cost.
    Ed25519.sign(seed, 0, publicKey, 0, data, 0, data.length, signature, 0);
    return signature;
  }

  @Override
  public String describe() {
    return "local";
  }
}
