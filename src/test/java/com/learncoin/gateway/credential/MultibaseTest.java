package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("base58btc encodes exactly as the textbook big-number definition")
class MultibaseTest {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  @Test
  @DisplayName("5,000 random byte strings (leading zeros, lengths 0 to 100) round-trip and match")
  void matchesReference() {
    Random random = new Random(58);
    for (int n = 0; n < 5_000; n++) {
      byte[] bytes = new byte[random.nextInt(101)];
      random.nextBytes(bytes);
      for (int i = 0, z = random.nextInt(4); i < Math.min(z, bytes.length); i++) {
        bytes[i] = 0;
      }
      String encoded = Multibase.encodeBase58btc(bytes);
      assertThat(encoded).isEqualTo("z" + reference(bytes));
      assertThat(Multibase.decodeBase58btc(encoded)).isEqualTo(bytes);
    }
  }

  private static String reference(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    BigInteger value = new BigInteger(1, bytes);
    BigInteger base = BigInteger.valueOf(58);
    while (value.signum() > 0) {
      BigInteger[] qr = value.divideAndRemainder(base);
      out.append(ALPHABET.charAt(qr[1].intValue()));
      value = qr[0];
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
      out.append('1');
    }
    return out.reverse().toString();
  }
}
