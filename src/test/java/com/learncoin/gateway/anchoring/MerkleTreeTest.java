package com.learncoin.gateway.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Merkle tree of a batch: SHA-256 pairs, odd nodes promoted, paths checkable by anyone")
class MerkleTreeTest {

  @ParameterizedTest(name = "with {0} leaves, every leaf's path leads to the root")
  @ValueSource(ints = {1, 2, 3, 7, 500})
  void everyPathVerifies(int size) {
    List<byte[]> leaves = leaves(size);
    MerkleTree tree = MerkleTree.of(leaves);
    for (int i = 0; i < size; i++) {
      assertThat(MerkleTree.verify(leaves.get(i), tree.path(i), tree.root()))
          .as("leaf %d of %d", i, size).isTrue();
    }
  }

  @ParameterizedTest(name = "with {0} leaves, another leaf or an altered path does not verify")
  @ValueSource(ints = {2, 3, 7, 500})
  void forgeriesFail(int size) {
    List<byte[]> leaves = leaves(size);
    MerkleTree tree = MerkleTree.of(leaves);
    int last = size - 1;
    byte[] stranger = MerkleTree.sha256("not in the batch".getBytes(StandardCharsets.UTF_8));
    assertThat(MerkleTree.verify(stranger, tree.path(last), tree.root())).isFalse();
    assertThat(MerkleTree.verify(leaves.get(0), tree.path(last), tree.root())).isFalse();

    JsonArray flippedSide = tree.path(last).copy();
    JsonObject step = flippedSide.getJsonObject(0);
    String side = step.fieldNames().iterator().next();
    flippedSide.set(0, new JsonObject().put(side.equals("left") ? "right" : "left",
        step.getString(side)));
    assertThat(MerkleTree.verify(leaves.get(last), flippedSide, tree.root())).isFalse();

    JsonArray alteredHash = tree.path(last).copy();
    byte[] sibling = MerkleTree.unhex(alteredHash.getJsonObject(0).getString(side));
    sibling[31] ^= 1;
    alteredHash.set(0, new JsonObject().put(side, MerkleTree.hex(sibling)));
    assertThat(MerkleTree.verify(leaves.get(last), alteredHash, tree.root())).isFalse();

    JsonArray shortened = tree.path(last).copy();
    shortened.remove(shortened.size() - 1);
    assertThat(MerkleTree.verify(leaves.get(last), shortened, tree.root())).isFalse();
  }

  @Test
  @DisplayName("the root of a single leaf is the leaf itself, with an empty path")
  void singleLeaf() {
    byte[] leaf = MerkleTree.sha256("only credential".getBytes(StandardCharsets.UTF_8));
    MerkleTree tree = MerkleTree.of(List.of(leaf));
    assertThat(tree.root()).isEqualTo(leaf);
    assertThat(tree.path(0)).isEmpty();
  }

  @Test
  @DisplayName("three leaves: the root is H(H(a||b)||c), and c's path is its one left sibling")
  void oddNodeIsPromotedNotDuplicated() {
    List<byte[]> leaves = leaves(3);
    byte[] ab = MerkleTree.sha256(concat(leaves.get(0), leaves.get(1)));
    MerkleTree tree = MerkleTree.of(leaves);
    assertThat(tree.root()).isEqualTo(MerkleTree.sha256(concat(ab, leaves.get(2))));
    assertThat(tree.path(2)).containsExactly(new JsonObject().put("left", MerkleTree.hex(ab)));
    assertThat(tree.path(0)).containsExactly(
        new JsonObject().put("right", MerkleTree.hex(leaves.get(1))),
        new JsonObject().put("right", MerkleTree.hex(leaves.get(2))));
    List<byte[]> duplicated = new ArrayList<>(leaves);
    duplicated.add(leaves.get(2));
    assertThat(MerkleTree.of(duplicated).root()).isNotEqualTo(tree.root());
  }

  @Test
  @DisplayName("every path of a 500-leaf batch leads to its root in at most 9 steps")
  void fiveHundredLeaves() {
    List<byte[]> leaves = leaves(500);
    MerkleTree tree = MerkleTree.of(leaves);
    for (int i = 0; i < 500; i++) {
      assertThat(MerkleTree.verify(leaves.get(i), tree.path(i), tree.root())).isTrue();
      assertThat(tree.path(i).size()).isLessThanOrEqualTo(9);
    }
  }

  @Test
  @DisplayName("hex is 0x-prefixed lowercase, and reads back with or without the prefix")
  void hexRoundTrip() {
    byte[] bytes = {0x00, (byte) 0xAB, 0x7f};
    assertThat(MerkleTree.hex(bytes)).isEqualTo("0x00ab7f");
    assertThat(MerkleTree.unhex("0x00AB7F")).isEqualTo(bytes);
    assertThat(MerkleTree.unhex("00ab7f")).isEqualTo(bytes);
    assertThatThrownBy(() -> MerkleTree.unhex("0xzz")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("malformed paths and leaves are refused, not thrown on")
  void malformedInputIsFalse() {
    List<byte[]> leaves = leaves(2);
    byte[] root = MerkleTree.of(leaves).root();
    assertThat(MerkleTree.verify(leaves.get(0), new JsonArray().add("0x00"), root)).isFalse();
    assertThat(MerkleTree.verify(leaves.get(0),
        new JsonArray().add(new JsonObject().put("up", MerkleTree.hex(leaves.get(1)))), root))
        .isFalse();
    assertThat(MerkleTree.verify(leaves.get(0),
        new JsonArray().add(new JsonObject().put("right", "0xnothex")), root)).isFalse();
    assertThat(MerkleTree.verify(new byte[31], new JsonArray(), root)).isFalse();
  }

  @Test
  @DisplayName("an empty batch or a leaf that is not a 32-byte hash is refused")
  void invalidLeaves() {
    assertThatThrownBy(() -> MerkleTree.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.of(List.of(new byte[20])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf 0");
  }

  private static List<byte[]> leaves(int size) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      leaves.add(MerkleTree.sha256(("credential " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return leaves;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
