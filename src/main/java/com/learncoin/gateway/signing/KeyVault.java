package com.learncoin.gateway.signing;

/**
 * Where tenants' private keys live: sealed seeds in the database under the data directory's
 * key-encryption key ({@link LocalKeyVault}), or Cloud KMS crypto keys. Both calls block.
 */
public interface KeyVault {
  /** Key material for a new key {@code keyId}: its public key and how to find it again. */
  NewKey create(String keyId, String tenantId, String environment);

  /** The signer of a stored key, from what {@link #create} returned. */
  Signer open(String keyId, byte[] sealedSeed, String kmsKeyVersion);

  /** Exactly one of {@code sealedSeed} (local) and {@code kmsKeyVersion} (KMS) is set. */
  record NewKey(byte[] publicKey, byte[] sealedSeed, String kmsKeyVersion) {}
}
