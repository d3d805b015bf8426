package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/** What a proof must be before its signature is worth checking: eddsa-rdfc-2022, by the key. */
final class ProofOptions {
  private ProofOptions() {}

  /**
   * The document's one proof, as a proof set of one (what we sign: 1EdTech's Open Badges schema
   * requires an array) or a single object (what we signed before, and what other issuers may
   * send); null for none, or for a set of several.
   */
  static JsonObject onlyProof(JsonObject signed) {
    Object proof = signed.getValue("proof");
    if (proof instanceof JsonArray set && set.size() == 1) {
      proof = set.getValue(0);
    }
    return proof instanceof JsonObject one ? one : null;
  }

  /** Why {@code proof} cannot be a valid {@code purpose} proof by {@code publicKey}, or null. */
  static String problem(JsonObject proof, byte[] publicKey, String purpose) {
    if (!DataIntegrityProofs.TYPE.equals(proof.getValue("type"))) {
      return "unsupported proof type: " + proof.getValue("type");
    }
    if (!DataIntegrityProofs.CRYPTOSUITE.equals(proof.getValue("cryptosuite"))) {
      return "unsupported cryptosuite: " + proof.getValue("cryptosuite");
    }
    if (!purpose.equals(proof.getValue("proofPurpose"))) {
      return "proofPurpose must be " + purpose + ", not " + proof.getValue("proofPurpose");
    }
    if (!(proof.getValue("verificationMethod") instanceof String method)) {
      return "proof has no verificationMethod";
    }
    if (method.startsWith("did:key:") && !sameKey(method, publicKey)) {
      return "verificationMethod " + method + " is not the given key";
    }
    if (proof.getValue("created") != null && !isDateTime(proof.getValue("created"))) {
      return "proof.created is not an XML Schema date-time";
    }
    return null;
  }

  private static boolean sameKey(String didKeyMethod, byte[] publicKey) {
    try {
      return Arrays.equals(DidKey.publicKeyOf(didKeyMethod), publicKey);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isDateTime(Object value) {
    try {
      return value instanceof String text
          && DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text) != null;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
