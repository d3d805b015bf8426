package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Data Integrity proof sets and previousProof chains, against the W3C vc-di-eddsa test vectors")
class ProofSetsTest {
  private static final DataIntegrityProofs PROOFS = new DataIntegrityProofs();

  /**
   * w3c/vc-di-eddsa TestVectors/proof-set-chain/signedProofChain2.json: a set of two proofs, a
   * third chained to both, a fourth chained to the third. Their verification methods are https
   * URLs; each names its Ed25519 key as a multibase fragment.
   */
  private static JsonObject chainVector() throws IOException {
    try (InputStream in = ProofSetsTest.class.getResourceAsStream(
        "/vc-di-eddsa/signedProofChain2.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static byte[] keyOf(JsonObject proof) {
    String method = proof.getString("verificationMethod");
    return DidKey.publicKeyOf("did:key:" + method.substring(method.indexOf('#') + 1));
  }

  @Test
  @DisplayName("each proof of the spec's set-and-chain vector verifies over the document plus the proofs it names")
  void specVectorVerifies() throws IOException {
    List<ProofSets.Signed> all = ProofSets.of(chainVector());
    assertThat(all).hasSize(4);
    for (ProofSets.Signed signed : all) {
      assertThat(PROOFS.verifyProof(signed.document(), signed.proof(), keyOf(signed.proof()),
          DataIntegrityProofs.ASSERTION).verified()).as(signed.proof().encode()).isTrue();
    }
    assertThat(all.get(0).document().containsKey("proof")).isFalse();
    assertThat(all.get(2).document().getJsonArray("proof")).hasSize(2);
    assertThat(all.get(3).document().getJsonArray("proof").getJsonObject(0).getString("id"))
        .isEqualTo("urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23");
  }

  @Test
  @DisplayName("altering a proof that a later one chains to breaks the later one, not the earlier ones")
  void chainCoversPreviousProofs() throws IOException {
    JsonObject vector = chainVector();
    JsonObject first = vector.getJsonArray("proof").getJsonObject(0);
    first.put("created", "2023-02-24T23:36:39Z");
    List<ProofSets.Signed> all = ProofSets.of(vector);
    boolean[] verified = new boolean[4];
    for (int i = 0; i < 4; i++) {
      verified[i] = PROOFS.verifyProof(all.get(i).document(), all.get(i).proof(),
          keyOf(all.get(i).proof()), DataIntegrityProofs.ASSERTION).verified();
    }
    // The first proof itself is now wrong; the third signed it; the fourth signed only the third.
    assertThat(verified).containsExactly(false, true, false, true);
  }

  @Test
  @DisplayName("a previousProof naming no proof, duplicate ids, too many proofs and non-objects are refused, saying why")
  void malformedSets() throws IOException {
    JsonObject dangling = chainVector();
    dangling.getJsonArray("proof").getJsonObject(3).put("previousProof", "urn:uuid:nope");
    assertThatThrownBy(() -> ProofSets.of(dangling)).hasMessageContaining("urn:uuid:nope");

    JsonObject twice = chainVector();
    twice.getJsonArray("proof").getJsonObject(1).put("id",
        twice.getJsonArray("proof").getJsonObject(0).getString("id"));
    assertThatThrownBy(() -> ProofSets.of(twice)).hasMessageContaining("two proofs have the id");

    JsonObject many = chainVector();
    JsonArray proofs = new JsonArray();
    for (int i = 0; i <= ProofSets.MAX_PROOFS; i++) {
      proofs.add(new JsonObject().put("type", "DataIntegrityProof"));
    }
    many.put("proof", proofs);
    assertThatThrownBy(() -> ProofSets.of(many)).hasMessageContaining("at most 8");

    assertThatThrownBy(() -> ProofSets.of(chainVector().put("proof", new JsonArray().add("x"))))
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> ProofSets.of(chainVector().put("proof", new JsonArray())))
        .hasMessageContaining("non-empty");
  }
}
