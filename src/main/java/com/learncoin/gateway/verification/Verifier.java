package com.learncoin.gateway.verification;

import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.VerifyLimitException;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.identity.Issuers;
import com.learncoin.gateway.lifecycle.CredentialStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks a credential, ours or anyone's signed with eddsa-rdfc-2022 by a did:key (or by the
 * did:web custom issuer of one of our tenants): proof, status, anchor and validity, each
 * {@code passed}, {@code failed} or {@code skipped} with a reason; and presentations, their own
 * proof and each of their credentials. Routes call it: {@code POST /v1/verify} and the VC API's
 * verify routes. A credential that is wrong in any way is a report, never an error; one past a
 * verification bound (too big or too costly to canonicalize) is a 400.
 */
public final class Verifier {
  /** Each credential of a presentation is a verification of its own: a bound on the work. */
  public static final int MAX_PRESENTED_CREDENTIALS = 16;
  /** Each proof is a canonicalization under the bounds: at most this many per presentation. */
  public static final int MAX_PRESENTATION_PROOFS = 16;

  private final WorkerExecutor verifyPool;
  private final DataIntegrityProofs proofs;
  private final ProofCheck proof;
  private final StatusCheck status;
  private final AnchorCheck anchor;
  private final PresentationCheck presentation;

  /**
   * {@code verifyPool} runs the JSON-LD and canonicalization work of every verification: a small
   * pool of its own, so hostile documents (bounded by the proofs' {@code VerifyLimits}) queue
   * behind each other and never take the threads the rest of the gateway blocks on.
   */
  public Verifier(Vertx vertx, WorkerExecutor verifyPool, Pool pool, DataIntegrityProofs proofs,
      Issuers issuers, Networks networks, Supplier<String> publicBaseUrl,
      CredentialStore credentials) {
    this.verifyPool = verifyPool;
    this.proofs = proofs;
    this.proof = new ProofCheck(verifyPool, proofs, issuers);
    this.status = new StatusCheck(pool, credentials, publicBaseUrl);
    this.anchor = new AnchorCheck(vertx, networks);
    this.presentation = new PresentationCheck(proof);
  }

  /**
   * The report: {@code verified} is true when no check that ran failed. Fails with a 400
   * {@code invalid_field_format} naming the bound when the credential is past a verification
   * bound (statements, blank nodes, canonicalization steps or time).
   */
  public Future<JsonObject> verify(JsonObject credential, VerifyReceipt receipt) {
    return verifyPool.executeBlocking(() -> SignedClaims.read(proofs, credential), false)
        .compose(claims -> report(credential, receipt, claims))
        .recover(e -> Future.failedFuture(e instanceof VerifyLimitException
            ? ApiError.INVALID_FIELD_FORMAT.exception(e.getMessage() + ".") : e));
  }

  /**
   * A presentation: {@code {"verified", "proof": <its own proof check, skipped when unsigned>,
   * "credentials": [<each credential's report, as verify gives it>]}}; verified when its proof
   * (if any) and every credential verify. A presentation whose verifiableCredential is not an
   * object or an array of at most {@link #MAX_PRESENTED_CREDENTIALS} objects is a 400.
   */
  public Future<JsonObject> verifyPresentation(JsonObject vp, String challenge, String domain) {
    List<JsonObject> credentials = presented(vp.getValue("verifiableCredential"));
    int proofs = proofCount(vp) + credentials.stream().mapToInt(Verifier::proofCount).sum();
    if (proofs > MAX_PRESENTATION_PROOFS) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("verifiablePresentation holds " + proofs
          + " proofs (its own and its credentials'); at most " + MAX_PRESENTATION_PROOFS
          + " are verified.");
    }
    Future<VerifyCheck> own = presentation.run(vp, challenge, domain)
        .recover(e -> Future.failedFuture(e instanceof VerifyLimitException
            ? ApiError.INVALID_FIELD_FORMAT.exception("verifiablePresentation: " + e.getMessage()
                + ".") : e));
    List<Future<JsonObject>> reports = credentials.stream().map(c -> verify(c, null)).toList();
    return Future.all(own, Future.all(reports)).map(done -> {
      JsonArray results = new JsonArray();
      reports.forEach(r -> results.add(r.result()));
      boolean verified = !VerifyCheck.FAILED.equals(own.result().status())
          && reports.stream().allMatch(r -> r.result().getBoolean("verified"));
      return new JsonObject().put("verified", verified).put("proof", own.result().toJson())
          .put("credentials", results);
    });
  }

  private static int proofCount(JsonObject document) {
    Object proof = document.getValue("proof");
    return proof instanceof JsonArray set ? set.size() : proof == null ? 0 : 1;
  }

  private static List<JsonObject> presented(Object value) {
    List<Object> all = value == null ? List.of() : value instanceof JsonArray array
        ? array.stream().toList() : List.of(value);
    if (all.size() > MAX_PRESENTED_CREDENTIALS) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("verifiablePresentation.verifiableCredential "
          + "holds " + all.size() + " credentials; at most " + MAX_PRESENTED_CREDENTIALS
          + " are verified.");
    }
    List<JsonObject> credentials = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (!(all.get(i) instanceof JsonObject credential)) {
        throw ApiError.INVALID_FIELD_FORMAT.exception("verifiablePresentation.verifiableCredential"
            + (value instanceof JsonArray ? "[" + i + "]" : "") + " must be a JSON object (a "
            + "verifiable credential).");
      }
      credentials.add(credential);
    }
    return credentials;
  }

  private Future<JsonObject> report(JsonObject credential, VerifyReceipt receipt,
      SignedClaims claims) {
    Future<VerifyCheck> proofCheck = proof.run(credential);
    Future<VerifyCheck> statusCheck = status.run(claims);
    Future<VerifyCheck> anchorCheck = anchor.run(credential, receipt);
    VerifyCheck expiry = VerifyCheck.expiry(claims, Instant.now());
    return Future.all(proofCheck, statusCheck, anchorCheck).map(done -> {
      List<VerifyCheck> all = List.of(proofCheck.result(), statusCheck.result(),
          anchorCheck.result(), expiry);
      boolean verified = all.stream().noneMatch(c -> VerifyCheck.FAILED.equals(c.status()));
      return new JsonObject()
          .put("object", "verification")
          .put("verified", verified)
          .put("checks", new JsonObject()
              .put("proof", proofCheck.result().toJson())
              .put("status", statusCheck.result().toJson())
              .put("anchor", anchorCheck.result().toJson())
              .put("expiry", expiry.toJson()));
    });
  }
}
