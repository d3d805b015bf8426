package com.learncoin.gateway.auth;

import com.learncoin.gateway.http.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Plaintext keys exist only in the response that creates them. Keys carry 190 bits from a CSPRNG,
 * so a plain SHA-256 is a safe stored form and cheap enough to compute on every request.
 */
public final class ApiKeySecrets {
  private static final Pattern FORMAT = Pattern.compile("lrn_(test|live)_[0-9A-Za-z]{32}");

  private ApiKeySecrets() {}

  public static String generate(String environment) {
    return "lrn_" + environment + "_" + Ids.secretBase62(32);
  }

  public static boolean isWellFormed(String key) {
    return key != null && key.length() == 41 && FORMAT.matcher(key).matches();
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
