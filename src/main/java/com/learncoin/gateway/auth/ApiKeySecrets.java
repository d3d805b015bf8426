package com.learncoin.gateway.auth;

import com.learncoin.gateway.common.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Plaintext keys exist only in the response that creates them. Keys carry 190 bits from a CSPRNG,
 * so a plain SHA-256 is a safe stored form and cheap enough to compute on every request.
 */
public final class ApiKeySecrets {
  private ApiKeySecrets() {}

  public static String generate(String environment) {
    return "lrn_" + environment + "_" + Ids.secretBase62(32);
  }

  /** The same check as {@code lrn_(test|live)_[0-9A-Za-z]{32}}, without a regex per request. */
  public static boolean isWellFormed(String key) {
    if (key == null || key.length() != 41
        || !(key.startsWith("lrn_test_") || key.startsWith("lrn_live_"))) {
      return false;
    }
    for (int i = 9; i < 41; i++) {
      char c = key.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  public static byte[] hash(String key) {
    return sha256(key.getBytes(StandardCharsets.US_ASCII));
  }

  public static byte[] sha256(byte[] bytes) {
    return SHA256.get().digest(bytes);
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });
}
