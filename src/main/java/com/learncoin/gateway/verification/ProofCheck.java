package com.learncoin.gateway.verification;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.credential.VerifyLimitException;
import com.learncoin.gateway.identity.Issuers;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

/**
 * The proof check: the Data Integrity proof over the RDFC-1.0 canonical form, by a key of the
 * issuer: a did:key (the key is in the DID), or the did:web custom issuer of one of our tenants.
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

  Future<VerifyCheck> run(JsonObject credential) {
    JsonObject proof = DataIntegrityProofs.onlyProof(credential);
    if (proof == null) {
      return done(VerifyCheck.failed(credential.containsKey("proof")
          ? "proof must be one JSON object, or an array of one" : "the credential has no proof"));
    }
    if (!(proof.getValue("verificationMethod") instanceof String method)) {
      return done(VerifyCheck.failed("proof has no verificationMethod"));
    }
    int hash = method.indexOf('#');
    String did = hash < 0 ? method : method.substring(0, hash);
    String issuer = issuerId(credential.getValue("issuer"));
    if (issuer == null) {
      return done(VerifyCheck.failed("the credential has no issuer id"));
    }
    if (!issuer.equals(did)) {
      return done(VerifyCheck.failed("verificationMethod " + method
          + " does not belong to the issuer " + issuer));
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
      return verifyPool.executeBlocking(() -> proofs.verify(credential, publicKey), false)
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

  private static String issuerId(Object issuer) {
    if (issuer instanceof String id) {
      return id;
    }
    if (issuer instanceof JsonObject object && object.getValue("id") instanceof String id) {
      return id;
    }
    return null;
  }

  private static Future<VerifyCheck> done(VerifyCheck check) {
    return Future.succeededFuture(check);
  }
}
