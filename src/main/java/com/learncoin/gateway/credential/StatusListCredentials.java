package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Revocation by W3C Bitstring Status List: each credential points at one bit of a public list
 * credential (served by GET /status/{list_id}); a set bit means revoked.
 */
public final class StatusListCredentials {
  /** The spec's minimum list length (16 KB of bits), which also gives herd privacy. */
  public static final int SIZE = 131_072;
  static final String PURPOSE = "revocation";
  private static final int MAX_DECODED_BYTES = 16 * 1024 * 1024;

  private StatusListCredentials() {}

  /** The credentialStatus of the credential at bit {@code index} of the list credential. */
  public static JsonObject entry(String listCredentialUrl, int index) {
    if (index < 0 || index >= SIZE) {
      throw new IllegalArgumentException(
          "status list index must be in [0, " + SIZE + "): " + index);
    }
    return new JsonObject()
        .put("id", listCredentialUrl + "#" + index)
        .put("type", "BitstringStatusListEntry")
        .put("statusPurpose", PURPOSE)
        .put("statusListIndex", String.valueOf(index))
        .put("statusListCredential", listCredentialUrl);
  }

  /** The list credential, signed like any credential (same issuer as the credentials it covers). */
  public static JsonObject unsigned(String listCredentialUrl, String issuerId, BitSet revoked,
      Instant validFrom) {
    return new JsonObject()
        .put("@context", new JsonArray().add(OpenBadgeCredentials.VC_V2_CONTEXT))
        .put("id", listCredentialUrl)
        .put("type",
            new JsonArray().add("VerifiableCredential").add("BitstringStatusListCredential"))
        .put("issuer", issuerId)
        .put("validFrom", DateTimeFormatter.ISO_INSTANT.format(
            validFrom.truncatedTo(ChronoUnit.SECONDS)))
        .put("credentialSubject", new JsonObject()
            .put("id", listCredentialUrl + "#list")
            .put("type", "BitstringStatusList")
            .put("statusPurpose", PURPOSE)
            .put("encodedList", encode(revoked)));
  }

  /**
   * Multibase base64url (no padding) of the GZIP of the bitstring, at least {@link #SIZE} bits
   * long; index 0 is the left-most (most significant) bit of the first byte, as the spec says.
   */
  public static String encode(BitSet bits) {
    int length = Math.max(SIZE, roundUpToByte(bits.length()));
    byte[] bytes = new byte[length / 8];
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      bytes[i >>> 3] |= (byte) (0x80 >>> (i & 7));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Multibase.encodeBase64url(out.toByteArray());
  }

  /** The set bits of an encodedList. */
  public static BitSet decode(String encodedList) {
    byte[] bytes = decodeBytes(encodedList);
    BitSet bits = new BitSet(bytes.length * 8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      for (int bit = 0; b != 0 && bit < 8; bit++) {
        if ((b & (0x80 >>> bit)) != 0) {
          bits.set(i * 8 + bit);
        }
      }
    }
    return bits;
  }

  /** The raw (uncompressed) bitstring; its length times 8 is the list length. */
  static byte[] decodeBytes(String encodedList) {
    byte[] gzipped = Multibase.decodeBase64url(encodedList);
    // A bound on the output: the list comes from the network and GZIP bombs are cheap.
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      byte[] bytes = in.readNBytes(MAX_DECODED_BYTES + 1);
      if (bytes.length > MAX_DECODED_BYTES) {
        throw new IllegalArgumentException("encodedList expands beyond " + MAX_DECODED_BYTES
            + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new IllegalArgumentException("encodedList is not GZIP data: " + e.getMessage(), e);
    }
  }

  private static int roundUpToByte(int bits) {
    return (bits + 7) & ~7;
  }
}
