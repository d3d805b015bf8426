package com.learncoin.gateway.common;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/** Prefixed ULIDs (`req_01JD...`): time-ordered, so ids double as pagination cursors. */
public final class Ids {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom SECURE = new SecureRandom();

  private Ids() {}

  private static final long RANDOM_MASK = (1L << 40) - 1;
  private static long lastTime;
  private static long lastHigh;
  private static long lastLow;

  /**
   * Monotonic within this process: ids made in the same millisecond increment the random part
   * instead of drawing a new one, so a list paged by id is in creation order even when several
   * objects are made within one millisecond.
   */
  public static String ulid(String prefix) {
    long time;
    long high;
    long low;
    synchronized (Ids.class) {
      long now = System.currentTimeMillis();
      if (now > lastTime) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        lastTime = now;
        lastHigh = random.nextLong() & RANDOM_MASK;
        lastLow = random.nextLong() & RANDOM_MASK;
      } else if (++lastLow > RANDOM_MASK) {
        lastLow = 0;
        lastHigh = (lastHigh + 1) & RANDOM_MASK;
      }
      time = lastTime;
      high = lastHigh;
      low = lastLow;
    }
    char[] out = new char[26];
    encode(out, 0, 10, time);
    encode(out, 10, 8, high);
    encode(out, 18, 8, low);
    return prefix + new String(out);
  }

  private static void encode(char[] out, int from, int length, long value) {
    for (int i = from + length - 1; i >= from; i--) {
      out[i] = CROCKFORD[(int) (value & 31)];
      value >>>= 5;
    }
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
