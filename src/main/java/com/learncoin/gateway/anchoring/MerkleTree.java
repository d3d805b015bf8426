package com.learncoin.gateway.anchoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Merkle tree of one batch: its leaves are the SHA-256 hashes of the batch's signed credentials,
 * its root goes on chain, and each credential's receipt carries the path from its leaf to that root.
 *
 * <p>A parent is SHA-256(left || right). A node left without a sibling at the end of a level is
 * promoted to the next level unchanged. Bitcoin instead pairs such a node with a copy of itself,
 * which makes the trees of [a, b, c] and [a, b, c, c] share one root (CVE-2012-2459): a batch
 * could then be shown to contain a credential twice. Promotion gives each leaf list its own root,
 * and a promoted node simply adds no step to the paths below it.
 *
 * <p>The rules are deliberately the plainest ones (no leaf/node prefixes, fixed SHA-256, sides
 * spelled out in the path) so that anyone can check a receipt with a few lines of code, without
 * this service. Leaves are hashes of whole JSON credentials, never raw 64-byte strings, so a leaf
 * cannot pose as an inner node.
 */
public final class MerkleTree {
  private static final int HASH_BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();

  /** levels.get(0) are the leaves, the last level holds only the root. */
  private final List<byte[][]> levels;

  private MerkleTree(List<byte[][]> levels) {
    this.levels = levels;
  }

  /** Builds the tree; each leaf must be a 32-byte SHA-256 hash, and there is at least one. */
  public static MerkleTree of(List<byte[]> leaves) {
    if (leaves == null || leaves.isEmpty()) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    byte[][] level = new byte[leaves.size()][];
    for (int i = 0; i < level.length; i++) {
      byte[] leaf = leaves.get(i);
      if (leaf == null || leaf.length != HASH_BYTES) {
        throw new IllegalArgumentException("leaf " + i + " is not a 32-byte SHA-256 hash");
      }
      level[i] = leaf.clone();
    }
    List<byte[][]> levels = new ArrayList<>();
    levels.add(level);
    MessageDigest sha256 = newSha256();
    while (level.length > 1) {
      byte[][] parents = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < parents.length; i++) {
        int left = 2 * i;
        parents[i] = left + 1 < level.length ? pair(sha256, level[left], level[left + 1]) : level[left];
      }
      levels.add(parents);
      level = parents;
    }
    return new MerkleTree(levels);
  }

  public byte[] root() {
    return levels.get(levels.size() - 1)[0].clone();
  }

  public int size() {
    return levels.get(0).length;
  }

  /** The siblings from the leaf up to the root, each under the side it sits on: {"left": hex}. */
  public JsonArray path(int leafIndex) {
    if (leafIndex < 0 || leafIndex >= size()) {
      throw new IndexOutOfBoundsException("leaf " + leafIndex + " of " + size());
    }
    JsonArray path = new JsonArray();
    int index = leafIndex;
    for (int depth = 0; depth < levels.size() - 1; depth++) {
      byte[][] level = levels.get(depth);
      int sibling = index ^ 1;
      if (sibling < level.length) {
        String side = sibling < index ? "left" : "right";
        path.add(new JsonObject().put(side, hex(level[sibling])));
      }
      index /= 2;
    }
    return path;
  }

  /** True when {@code path} leads from {@code leaf} to {@code root}; false for any malformed input. */
  public static boolean verify(byte[] leaf, JsonArray path, byte[] root) {
    if (leaf == null || path == null || root == null || leaf.length != HASH_BYTES) {
      return false;
    }
    MessageDigest sha256 = newSha256();
    byte[] node = leaf;
    try {
      for (int i = 0; i < path.size(); i++) {
        if (!(path.getValue(i) instanceof JsonObject step) || step.size() != 1) {
          return false;
        }
        boolean left = step.containsKey("left");
        if (!left && !step.containsKey("right")) {
          return false;
        }
        byte[] sibling = unhex(step.getString(left ? "left" : "right"));
        if (sibling.length != HASH_BYTES) {
          return false;
        }
        node = left ? pair(sha256, sibling, node) : pair(sha256, node, sibling);
      }
    } catch (IllegalArgumentException | ClassCastException | NullPointerException malformed) {
      return false;
    }
    return MessageDigest.isEqual(node, root);
  }

  public static byte[] sha256(byte[] data) {
    return newSha256().digest(data);
  }

  /** "0x" followed by lowercase hex, the spelling of hashes in receipts and on chain. */
  public static String hex(byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }

  /** Parses hex with or without "0x", either case; IllegalArgumentException if it is not hex. */
  public static byte[] unhex(String hex) {
    if (hex == null) {
      throw new IllegalArgumentException("hex string is null");
    }
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    return HEX.parseHex(digits);
  }

  private static byte[] pair(MessageDigest sha256, byte[] left, byte[] right) {
    sha256.update(left);
    sha256.update(right);
    return sha256.digest();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
