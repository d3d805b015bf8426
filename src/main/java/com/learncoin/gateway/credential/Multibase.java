package com.learncoin.gateway.credential;

import java.util.Arrays;
import java.util.Base64;

/**
 * The two multibase encodings credentials use: base58btc ('z') for keys and proof values,
 * base64url without padding ('u') for status lists.
 */
public final class Multibase {
  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEXES = new int[128];

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEXES[ALPHABET[i]] = i;
    }
  }

  private Multibase() {}

  /** {@code 'z'} followed by the base58btc encoding of {@code bytes}. */
  public static String encodeBase58btc(byte[] bytes) {
    return "z" + base58(bytes);
  }

  /** {@code 'u'} followed by the unpadded base64url encoding of {@code bytes}. */
  public static String encodeBase64url(byte[] bytes) {
    return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Decodes a 'z' (base58btc) or 'u' (base64url) multibase value; others are rejected. */
  public static byte[] decode(String multibase) {
    if (multibase == null || multibase.isEmpty()) {
      throw new IllegalArgumentException("empty multibase value");
    }
    return switch (multibase.charAt(0)) {
      case 'z' -> decodeBase58(multibase.substring(1));
      case 'u' -> decodeBase64url0(multibase.substring(1));
      default -> throw new IllegalArgumentException(
          "unsupported multibase prefix '" + multibase.charAt(0) + "' (expected 'z' or 'u')");
    };
  }

  /** Decodes a value that must be base58btc ('z'). */
  public static byte[] decodeBase58btc(String multibase) {
    requirePrefix(multibase, 'z');
    return decodeBase58(multibase.substring(1));
  }

  /** Decodes a value that must be base64url ('u'); padding is tolerated. */
  public static byte[] decodeBase64url(String multibase) {
    requirePrefix(multibase, 'u');
    return decodeBase64url0(multibase.substring(1));
  }

  private static byte[] decodeBase64url0(String text) {
    try {
      return Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid base64url: " + e.getMessage(), e);
    }
  }

  private static void requirePrefix(String multibase, char prefix) {
    if (multibase == null || multibase.isEmpty() || multibase.charAt(0) != prefix) {
      throw new IllegalArgumentException("multibase value must start with '" + prefix + "'");
    }
  }

  /** 58^5: five base58 digits per long division, so a proof's signature costs ~300 of them. */
  private static final long FIVE_DIGITS = 58L * 58 * 58 * 58 * 58;

  private static String base58(byte[] input) {
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    // The number as big-endian 32-bit limbs, divided by 58^5 until nothing is left.
    int[] limbs = new int[(input.length + 3) / 4];
    int shift = limbs.length * 4 - input.length;
    for (int i = 0; i < input.length; i++) {
      int at = i + shift;
      limbs[at / 4] |= (input[i] & 0xFF) << (8 * (3 - at % 4));
    }
    char[] out = new char[input.length * 2 + 5];
    int end = out.length;
    int start = 0;
    while (start < limbs.length && limbs[start] == 0) {
      start++;
    }
    while (start < limbs.length) {
      long rem = 0;
      for (int i = start; i < limbs.length; i++) {
        long current = (rem << 32) | (limbs[i] & 0xFFFFFFFFL);
        limbs[i] = (int) (current / FIVE_DIGITS);
        rem = current % FIVE_DIGITS;
      }
      while (start < limbs.length && limbs[start] == 0) {
        start++;
      }
      for (int k = 0; k < 5; k++) {
        out[--end] = ALPHABET[(int) (rem % 58)];
        rem /= 58;
      }
    }
    while (end < out.length && out[end] == ALPHABET[0]) {
      end++;
    }
    while (--zeros >= 0) {
      out[--end] = ALPHABET[0];
    }
    return new String(out, end, out.length - end);
  }

  private static byte[] decodeBase58(String text) {
    if (text.isEmpty()) {
      return new byte[0];
    }
    byte[] input58 = new byte[text.length()];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? INDEXES[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException("invalid base58btc character '" + c + "'");
      }
      input58[i] = (byte) digit;
    }
    int zeros = 0;
    while (zeros < input58.length && input58[zeros] == 0) {
      zeros++;
    }
    byte[] decoded = new byte[text.length()];
    int end = decoded.length;
    int start = zeros;
    while (start < input58.length) {
      decoded[--end] = (byte) divmod(input58, start, 58, 256);
      if (input58[start] == 0) {
        start++;
      }
    }
    while (end < decoded.length && decoded[end] == 0) {
      end++;
    }
    return Arrays.copyOfRange(decoded, end - zeros, decoded.length);
  }

  /** Divides the number in {@code number[start..]} (digits in {@code base}) in place; remainder. */
  private static int divmod(byte[] number, int start, int base, int divisor) {
    int remainder = 0;
    for (int i = start; i < number.length; i++) {
      int temp = remainder * base + (number[i] & 0xFF);
      number[i] = (byte) (temp / divisor);
      remainder = temp % divisor;
    }
    return remainder;
  }
}
