package com.learncoin.gateway.verification;

import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The anchor receipt of a {@code POST /v1/verify} body, checked for shape (a 400 naming the field
 * otherwise): chain id, transaction, optional block, leaf and root, and the Merkle path.
 */
public record VerifyReceipt(long chainId, String txHash, Long blockNumber, byte[] leaf,
    byte[] merkleRoot, JsonArray path) {
  private static final Pattern TX_HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
  private static final Pattern HASH = Pattern.compile("(0x)?[0-9a-fA-F]{64}");
  private static final int MAX_PATH = 64;

  public static VerifyReceipt parse(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject anchor)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("anchor must be a JSON object (the credential's "
          + "anchor receipt) or absent.");
    }
    if (!(anchor.getValue("chain_id") instanceof Number chainId)
        || chainId.doubleValue() != chainId.longValue() || chainId.longValue() <= 0) {
      throw anchor.getValue("chain_id") == null
          ? ApiError.MISSING_REQUIRED_FIELD.exception("anchor.chain_id is required.")
          : ApiError.INVALID_FIELD_FORMAT.exception("anchor.chain_id must be a positive integer.");
    }
    Object txHash = anchor.getValue("tx_hash");
    if (txHash == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("anchor.tx_hash is required.");
    }
    if (!(txHash instanceof String hash) || !TX_HASH.matcher(hash).matches()) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("anchor.tx_hash must be \"0x\" followed by 64 "
          + "hex digits.");
    }
    Object block = anchor.getValue("block_number");
    if (block != null && (!(block instanceof Number n) || n.doubleValue() != n.longValue()
        || n.longValue() < 0)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("anchor.block_number must be a non-negative "
          + "integer.");
    }
    byte[] leaf = optionalHash(anchor, "leaf");
    byte[] root = optionalHash(anchor, "merkle_root");
    Object path = anchor.getValue("path");
    if (path == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("anchor.path is required.");
    }
    if (!(path instanceof JsonArray steps) || steps.size() > MAX_PATH) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("anchor.path must be an array of at most "
          + MAX_PATH + " steps.");
    }
    for (int i = 0; i < steps.size(); i++) {
      if (!(steps.getValue(i) instanceof JsonObject step) || step.size() != 1
          || !(step.getValue(step.containsKey("left") ? "left" : "right") instanceof String h)
          || !HASH.matcher(h).matches()) {
        throw ApiError.INVALID_FIELD_FORMAT.exception("anchor.path[" + i + "] must be "
            + "{\"left\": <hash>} or {\"right\": <hash>}, a hash being 64 hex digits.");
      }
    }
    return new VerifyReceipt(chainId.longValue(), hash, block == null ? null : ((Number) block).longValue(),
        leaf, root, steps);
  }

  private static byte[] optionalHash(JsonObject anchor, String field) {
    Object value = anchor.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String hex) || !HASH.matcher(hex).matches()) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("anchor." + field + " must be \"0x\" followed "
          + "by 64 hex digits.");
    }
    return MerkleTree.unhex(hex);
  }
}
