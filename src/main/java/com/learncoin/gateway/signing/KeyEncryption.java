package com.learncoin.gateway.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption key of the local signer: tenants' Ed25519 seeds are stored in PostgreSQL
 * sealed with AES-256-GCM under it, so a database dump alone signs nothing. It lives in the data
 * directory (mode 0600, created on first start, to be backed up with it). The key id is the
 * associated data: a sealed seed moved to another key's row does not open.
 */
public final class KeyEncryption implements KeyEncryptionKey {
  static final String FILE = "key-encryption.key";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private KeyEncryption(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
    Arrays.fill(key, (byte) 0);
  }

  /** Blocking (file I/O): at start-up, on a worker thread. */
  public static KeyEncryption loadOrCreate(Path dataDir) {
    return new KeyEncryption(Ed25519KeyFile.loadOrCreate(dataDir.resolve(FILE), () -> {
      byte[] fresh = new byte[32];
      RANDOM.nextBytes(fresh);
      return fresh;
    }));
  }

  @Override
  public byte[] seal(byte[] plaintext, String keyId) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, plaintext, 0, plaintext.length, keyId);
    return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
  }

  @Override
  public byte[] open(byte[] sealed, String keyId) {
    if (sealed.length <= NONCE_BYTES) {
      throw new IllegalStateException("sealed key " + keyId + " is truncated");
    }
    return crypt(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), sealed, NONCE_BYTES,
        sealed.length - NONCE_BYTES, keyId);
  }

  private byte[] crypt(int mode, byte[] nonce, byte[] input, int offset, int length, String keyId) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input, offset, length);
    } catch (GeneralSecurityException e) {
      // A wrong key-encryption key (another data dir's) or a tampered row: never sign with it.
      throw new IllegalStateException("cannot open the sealed key " + keyId
          + " with this data directory's key-encryption key", e);
    }
  }
}
