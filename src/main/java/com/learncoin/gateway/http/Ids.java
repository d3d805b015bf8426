package com.learncoin.gateway.http;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/** Prefixed ULIDs (`req_01JD...`): time-ordered, so ids double as pagination cursors. */
public final class Ids {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom SECURE = new SecureRandom();

  private Ids() {}

  public static String ulid(String prefix) {
    char[] out = new char[26];
    long time = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long hi = random.nextLong();
    long lo = random.nextLong();
    for (int i = 10; i < 26; i++) {
      long source = i < 18 ? hi : lo;
      out[i] = CROCKFORD[(int) ((source >>> ((i % 8) * 5)) & 31)];
    }
    return prefix + new String(out);
  }

  /** Secrets (API keys, webhook secrets) come from a CSPRNG, never from ThreadLocalRandom. */
  public static String secretBase62(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE62[SECURE.nextInt(BASE62.length)];
    }
    return new String(out);
  }
}
