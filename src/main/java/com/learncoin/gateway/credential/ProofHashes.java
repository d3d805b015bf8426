package com.learncoin.gateway.credential;

import com.apicatalog.jsonld.JsonLdError;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an eddsa-rdfc-2022 signature covers (vc-di-eddsa §3.3.4 and §3.3.5): SHA-256 of the
 * canonical proof configuration, which takes the document's @context, then SHA-256 of the
 * canonical document.
 */
final class ProofHashes {
  /** Proof configurations repeat (a batch shares key, created and contexts): hash each once. */
  private static final int MAX_CONFIG_HASHES = 256;

  private final Canonicalizer canonicalizer;
  private final Map<String, byte[]> configHashes = new ConcurrentHashMap<>();

  ProofHashes(Canonicalizer canonicalizer) {
    this.canonicalizer = canonicalizer;
  }

  /** {@code budget} null: a configuration we made (signing); otherwise one from outside. */
  byte[] hashData(JsonObject document, JsonObject proofOptions, String canonicalDocument,
      VerifyLimits.Budget budget) throws JsonLdError {
    JsonObject config = new JsonObject().put("@context", document.getValue("@context"));
    config.mergeIn(proofOptions);
    config.remove("proofValue");
    byte[] configHash = configHash(config, budget);
    byte[] documentHash = sha256(canonicalDocument);
    byte[] both = Arrays.copyOf(configHash, configHash.length + documentHash.length);
    System.arraycopy(documentHash, 0, both, configHash.length, documentHash.length);
    return both;
  }

  /** The canonical form is a pure function of the JSON (contexts are fixed): reuse it. Proof
   * configurations come from outside too (verify: a {@code budget}), so they take the full
   * JSON-LD path. */
  private byte[] configHash(JsonObject config, VerifyLimits.Budget budget) throws JsonLdError {
    String key = config.encode();
    byte[] hash = configHashes.get(key);
    if (hash == null) {
      hash = sha256(budget == null ? canonicalizer.canonicalizeWithTitanium(config)
          : canonicalizer.canonicalize(config, budget));
      if (configHashes.size() >= MAX_CONFIG_HASHES) {
        configHashes.clear();
      }
      configHashes.put(key, hash);
    }
    return hash;
  }

  static byte[] sha256(String canonical) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(canonical.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
