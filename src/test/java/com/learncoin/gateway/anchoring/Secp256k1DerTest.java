package com.learncoin.gateway.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.ECDSASignature;

@DisplayName("DER ECDSA signatures from KMS: exact DER only, r and s in [1, n-1]")
class Secp256k1DerTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  @DisplayName("SEQUENCE { INTEGER r, INTEGER s } gives r and s, a leading 00 byte included")
  void parses() {
    ECDSASignature signature = Secp256k1Der.signature(HEX.parseHex("3007020101020200ff"));
    assertThat(signature.r).isEqualTo(BigInteger.ONE);
    assertThat(signature.s).isEqualTo(BigInteger.valueOf(255));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "3006020101020101ff", // trailing byte after the sequence
      "308106020101020101", // long-form length where DER needs the short form
      "3006020100020101", // r = 0
      "30060201ff020101", // r negative
      "300902010102040000ffff", // s with a superfluous leading zero byte
      "3003020101", // one integer only
      "04020101"}) // not a sequence
  @DisplayName("anything else is refused")
  void refuses(String hex) {
    assertThatThrownBy(() -> Secp256k1Der.signature(HEX.parseHex(hex)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("r or s equal to the group order n is refused")
  void orderIsOutOfRange() {
    String n = "00fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    String der = "3026020101022100" + n.substring(2);
    assertThatThrownBy(() -> Secp256k1Der.signature(HEX.parseHex(der)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s is outside");
  }
}
