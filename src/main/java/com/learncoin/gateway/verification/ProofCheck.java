package com.learncoin.gateway.verification;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.credential.ProofSets;
import com.learncoin.gateway.credential.VerifyLimitException;
import com.learncoin.gateway.identity.Issuers;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The proof check: every Data Integrity proof of the document (one, a set, or a chain through
 * previousProof, see {@link ProofSets}) over the RDFC-1.0 canonical form, each by a key of the
 * signer the document names (a credential's issuer, a presentation's holder): a did:key (the key
 * is in the DID), or the did:web custom issuer of one of our tenants.
 */
final class ProofCheck {
  private final WorkerExecutor verifyPool;
  private final DataIntegrityProofs proofs;
  private final Issuers issuers;

  ProofCheck(WorkerExecutor verifyPool, DataIntegrityProofs proofs, Issuers issuers) {
    this.verifyPool = verifyPool;
    this.proofs = proofs;
    this.issuers = issuers;
  }

  /** A credential's proofs: assertionMethod, each by a key of the issuer. */
  Future<VerifyCheck> run(JsonObject credential) {
    return run(credential, DataIntegrityProofs.ASSERTION, "issuer", p -> null);
  }

  /**
   * Every proof of {@code document}: purpose {@code purpose}, by a key of the DID that the
   * document's {@code signerField} names ("issuer"; or "holder", which may be absent: then any
   * did:key or tenant did:web signs), and passing {@code extra} (null, or why not).
   */
  Future<VerifyCheck> run(JsonObject document, String purpose, String signerField,
      Function<JsonObject, String> extra) {
    List<ProofSets.Signed> all;
    try {
      all = ProofSets.of(document);
    } catch (IllegalArgumentException e) {
      return done(VerifyCheck.failed(e.getMessage().replace("the document", "the "
          + ("holder".equals(signerField) ? "presentation" : "credential"))));
    }
    String signer = idOf(document.getValue(signerField));
    if (signer == null && !"holder".equals(signerField)) {
      return done(VerifyCheck.failed("the credential has no issuer id"));
    }
    List<Future<VerifyCheck>> checks = new ArrayList<>();
    for (ProofSets.Signed signed : all) {
      String problem = extra.apply(signed.proof());
      checks.add(problem != null ? done(VerifyCheck.failed(problem))
          : one(signed, purpose, signer, signerField));
    }
    return Future.all(checks).map(v -> {
      for (int i = 0; i < checks.size(); i++) {
        VerifyCheck check = checks.get(i).result();
        if (!VerifyCheck.PASSED.equals(check.status())) {
          return all.size() == 1 ? check
              : VerifyCheck.failed("proof[" + i + "]: " + check.reason());
        }
      }
      return all.size() == 1 ? checks.get(0).result() : VerifyCheck.passed("all " + all.size()
          + " eddsa-rdfc-2022 proofs are valid: " + checks.stream()
              .map(c -> c.result().reason()).toList());
    });
  }

  private Future<VerifyCheck> one(ProofSets.Signed signed, String purpose, String signer,
      String signerField) {
    JsonObject proof = signed.proof();
    if (!(proof.getValue("verificationMethod") instanceof String method)) {
      return done(VerifyCheck.failed("proof has no verificationMethod"));
    }
    int hash = method.indexOf('#');
    String did = hash < 0 ? method : method.substring(0, hash);
    if (signer != null && !signer.equals(did)) {
      return done(VerifyCheck.failed("verificationMethod " + method
          + " does not belong to the " + signerField + " " + signer));
    }
    Future<byte[]> key;
    if (method.startsWith("did:key:")) {
      try {
        key = Future.succeededFuture(DidKey.publicKeyOf(method));
      } catch (IllegalArgumentException e) {
        return done(VerifyCheck.failed("verificationMethod: " + e.getMessage()));
      }
    } else if (method.startsWith("did:web:")) {
      key = customIssuerKey(did, hash < 0 ? "" : method.substring(hash + 1));
    } else {
      return done(VerifyCheck.failed("unsupported verification method " + method
          + ": only did:key and our tenants' did:web issuers can be resolved"));
    }
    return key.compose(publicKey -> {
      if (publicKey == null) {
        return done(VerifyCheck.failed("unknown did:web: " + did
            + " is not the verified issuer DID of any tenant of this gateway, or " + method
            + " is not one of its keys"));
      }
      return verifyPool.executeBlocking(() -> proofs.verifyProof(signed.document(), proof,
              publicKey, purpose), false)
          .map(v -> v.verified()
              ? VerifyCheck.passed("eddsa-rdfc-2022 signature by " + method + " is valid")
              : VerifyCheck.failed(v.reason()));
    }).recover(e -> e instanceof VerifyLimitException ? Future.failedFuture(e) // a 400
        : done(VerifyCheck.failed("the proof could not be checked: " + e.getMessage())));
  }

  /**
   * The key the fragment names, if it is one the DID's document lists: for an active did:web of
   * one of our tenants, that tenant's published keys; never merely a key this gateway holds.
   */
  private Future<byte[]> customIssuerKey(String did, String fragment) {
    return issuers.keysOf(did).map(keys -> keys.stream()
        .filter(key -> DidKey.publicKeyMultibase(key).equals(fragment)).findFirst().orElse(null));
  }

  /** A DID or URL given as a string, or as an object's "id". */
  static String idOf(Object value) {
    if (value instanceof String id) {
      return id;
    }
    if (value instanceof JsonObject object && object.getValue("id") instanceof String id) {
      return id;
    }
    return null;
  }

  private static Future<VerifyCheck> done(VerifyCheck check) {
    return Future.succeededFuture(check);
  }
}
