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
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks a credential, ours or anyone's signed with eddsa-rdfc-2022 by a did:key (or by the
 * did:web custom issuer of one of our tenants): proof, status, anchor and validity, each
 * {@code passed}, {@code failed} or {@code skipped} with a reason. Routes call it: {@code POST
 * /v1/verify} today. A credential that is wrong in any way is a report, never an error; one past a
 * verification bound (too big or too costly to canonicalize) is a 400.
 */
public final class Verifier {
  private final WorkerExecutor verifyPool;
  private final DataIntegrityProofs proofs;
  private final ProofCheck proof;
  private final StatusCheck status;
  private final AnchorCheck anchor;

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
