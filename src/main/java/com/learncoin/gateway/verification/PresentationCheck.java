package com.learncoin.gateway.verification;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A presentation's own proofs (Data Integrity, purpose authentication, by a key of its holder when
 * it names one), with the verifier's challenge and domain (Data Integrity §4.4: a proof whose
 * challenge or domain is not the one given fails). An unsigned presentation has none to check.
 */
final class PresentationCheck {
  private final ProofCheck proofs;

  PresentationCheck(ProofCheck proofs) {
    this.proofs = proofs;
  }

  /** Skipped for an unsigned presentation; {@code challenge} and {@code domain} may be null. */
  Future<VerifyCheck> run(JsonObject presentation, String challenge, String domain) {
    if (presentation.getValue("proof") == null) {
      return Future.succeededFuture(VerifyCheck.skipped("the presentation is not signed (no "
          + "proof): only its credentials are verified"));
    }
    return proofs.run(presentation, DataIntegrityProofs.AUTHENTICATION, "holder",
        proof -> bindingProblem(proof, challenge, domain));
  }

  /** Why the proof is not bound to this verifier's request, or null. */
  static String bindingProblem(JsonObject proof, String challenge, String domain) {
    if (challenge != null && !challenge.equals(proof.getValue("challenge"))) {
      return "INVALID_CHALLENGE_ERROR: the proof's challenge " + quoted(proof.getValue("challenge"))
          + " is not options.challenge " + quoted(challenge);
    }
    Object proofDomain = proof.getValue("domain");
    boolean listed = proofDomain instanceof JsonArray domains ? domains.contains(domain)
        : domain != null && domain.equals(proofDomain);
    if (domain != null && !listed) {
      return "INVALID_DOMAIN_ERROR: the proof's domain " + quoted(proofDomain)
          + " is not options.domain " + quoted(domain);
    }
    return null;
  }

  private static String quoted(Object value) {
    return value == null ? "(none)" : "\"" + value + "\"";
  }
}
