package com.learncoin.gateway.credential;

import com.learncoin.gateway.signing.Signer;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** A throwaway in-memory Ed25519 key for tests (the production signers live in signing). */
public final class TestEd25519Signer implements Signer {
  private final Ed25519PrivateKeyParameters key;
  private final byte[] publicKey;

  private TestEd25519Signer(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.publicKey = key.generatePublicKey().getEncoded();
  }

  public static TestEd25519Signer generate() {
    return new TestEd25519Signer(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** RFC 8032: the 32-byte seed is the private key. */
  public static TestEd25519Signer fromSeed(byte[] seed) {
    return new TestEd25519Signer(new Ed25519PrivateKeyParameters(seed, 0));
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] sign(byte[] data) {
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    key.sign(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, signature, 0);
    return signature;
  }

  @Override
  public String describe() {
    return "test";
  }

  public String did() {
    return DidKey.fromEd25519(publicKey);
  }

  public String verificationMethod() {
    return DidKey.verificationMethod(publicKey);
  }
}
