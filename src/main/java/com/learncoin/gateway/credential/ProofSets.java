package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Data Integrity 1.0 proof sets and chains (§4.5): a document's {@code proof} is one proof or an
 * array of them; each proof signs the document without its proofs, plus, when it names a
 * {@code previousProof}, the proofs it names (as the document's {@code proof}, which the VC and
 * Data Integrity contexts map to named graphs). Every proof of a set must verify on its own.
 */
public final class ProofSets {
  /** Each proof costs a canonicalization of the whole document: a bound on the work. */
  public static final int MAX_PROOFS = 8;

  /** One proof and the document it signs. */
  public record Signed(JsonObject proof, JsonObject document) {}

  private ProofSets() {}

  /**
   * The proofs of {@code secured}, each with the document it signs.
   *
   * @throws IllegalArgumentException why the proofs cannot be checked (none, not objects, more
   *     than {@link #MAX_PROOFS}, a duplicate id, a previousProof that names no proof)
   */
  public static List<Signed> of(JsonObject secured) {
    List<JsonObject> all = proofs(secured.getValue("proof"));
    Set<String> ids = new HashSet<>();
    for (JsonObject proof : all) {
      if (proof.getValue("id") instanceof String id && !ids.add(id)) {
        throw new IllegalArgumentException("two proofs have the id " + id);
      }
    }
    JsonObject unsecured = secured.copy();
    unsecured.remove("proof");
    List<Signed> signed = new ArrayList<>(all.size());
    for (JsonObject proof : all) {
      JsonArray matching = new JsonArray();
      for (String previous : previous(proof.getValue("previousProof"))) {
        JsonObject found = all.stream().filter(p -> previous.equals(p.getValue("id")))
            .findFirst().orElse(null);
        if (found == null || found == proof) {
          throw new IllegalArgumentException("previousProof " + previous + " names no other "
              + "proof of this document");
        }
        matching.add(found.copy());
      }
      JsonObject document = unsecured.copy();
      if (!matching.isEmpty()) {
        document.put("proof", matching);
      }
      signed.add(new Signed(proof, document));
    }
    return signed;
  }

  private static List<JsonObject> proofs(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("the document has no proof");
    }
    List<JsonObject> all = new ArrayList<>();
    if (value instanceof JsonObject one) {
      all.add(one);
    } else if (value instanceof JsonArray set && !set.isEmpty()) {
      for (Object item : set) {
        if (!(item instanceof JsonObject proof)) {
          throw new IllegalArgumentException("proof must be a JSON object or an array of them");
        }
        all.add(proof);
      }
    } else {
      throw new IllegalArgumentException("proof must be a JSON object or a non-empty array of them");
    }
    if (all.size() > MAX_PROOFS) {
      throw new IllegalArgumentException("the document has " + all.size() + " proofs; at most "
          + MAX_PROOFS + " are verified");
    }
    return all;
  }

  private static List<String> previous(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String id) {
      return List.of(id);
    }
    List<String> ids = new ArrayList<>();
    if (value instanceof JsonArray list && !list.isEmpty()) {
      for (Object item : list) {
        if (!(item instanceof String id)) {
          ids = null;
          break;
        }
        ids.add(id);
      }
      if (ids != null) {
        return ids;
      }
    }
    throw new IllegalArgumentException("previousProof must be a proof id or an array of them");
  }
}
