package com.learncoin.gateway.signing;

/**
 * What seals tenants' Ed25519 seeds for storage in PostgreSQL: the data directory's AES key
 * ({@link KeyEncryption}) or a Cloud KMS symmetric key ({@link KmsKeyEncryption}, envelope
 * encryption: KMS opens the seeds, which then live in memory only). The key id is authenticated
 * with the seed, so a sealed seed moved to another key's row does not open. Calls may block.
 */
public interface KeyEncryptionKey {
  byte[] seal(byte[] seed, String keyId);

  byte[] open(byte[] sealed, String keyId);
}
