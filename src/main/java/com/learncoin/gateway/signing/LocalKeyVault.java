package com.learncoin.gateway.signing;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Tenants' Ed25519 seeds, generated here and stored sealed under a key-encryption key. */
public final class LocalKeyVault implements KeyVault {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyEncryptionKey encryption;

  public LocalKeyVault(KeyEncryptionKey encryption) {
    this.encryption = encryption;
  }

  @Override
  public NewKey create(String keyId, String tenantId, String environment) {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    RANDOM.nextBytes(seed);
    try {
      byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
      Ed25519.generatePublicKey(seed, 0, publicKey, 0);
      return new NewKey(publicKey, encryption.seal(seed, keyId), null);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  @Override
  public Signer open(String keyId, byte[] sealedSeed, String kmsKeyVersion) {
    if (sealedSeed == null) {
      throw new IllegalStateException("signing key " + keyId + " is held by Cloud KMS ("
          + kmsKeyVersion + "), but this gateway runs the local signer");
    }
    return new LocalEd25519Signer(encryption.open(sealedSeed, keyId));
  }
}
