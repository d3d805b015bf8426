package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.StatusListCredentials;
import com.learncoin.gateway.credential.VcDataModel;
import com.learncoin.gateway.credential.VerifyLimitException;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.identity.Issuers;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.signing.SignerUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /credentials/issue}'s intake: the credential is checked (VC 2.0 MUSTs, issuer, the
 * JSON-LD a verifier will read, within the verification bounds) and stored as a batch of one
 * through {@link BatchStore}, so it counts against the quota, is signed by the worker like any
 * batch and joins anchoring; then the route waits, bounded, for the worker's signature. One per
 * HTTP verticle: its waiters live on that event loop.
 */
public final class VcApiIssuance {
  /** How long a request waits for the worker to sign its credential. */
  public static final long WAIT_MILLIS = 20_000;
  /** Another node's worker may sign it: look in the database this often as well. */
  private static final long POLL_MILLIS = 500;
  private static final String FIND = """
      SELECT c.id, c.vc, c.status, b.status AS batch_status FROM credentials c
        JOIN batches b ON b.id = c.batch_id WHERE c.batch_id = $1""";

  /** A stored credential, by its id and its batch's. */
  public record Stored(String credentialId, String batchId) {}

  private final Vertx vertx;
  private final BatchStore store;
  private final TenantKeys keys;
  private final Pool pool;
  private final DataIntegrityProofs proofs;
  private final WorkerExecutor checks;
  private final Networks networks;
  private final Supplier<String> publicBaseUrl;
  private final Map<String, List<Runnable>> waiting = new HashMap<>();

  /** {@code checks} runs the JSON-LD checks (the verifiers' pool: the same bounded work). */
  public VcApiIssuance(Vertx vertx, BatchStore store, Issuance issuance, WorkerExecutor checks) {
    this.vertx = vertx;
    this.store = store;
    this.keys = issuance.keys();
    this.pool = issuance.pool();
    this.proofs = issuance.proofs();
    this.checks = checks;
    this.networks = issuance.networks();
    this.publicBaseUrl = issuance.publicBaseUrl();
    vertx.eventBus().<String>localConsumer(Issuance.SIGNED, message -> {
      List<Runnable> waiters = waiting.remove(message.body());
      if (waiters != null) {
        List.copyOf(waiters).forEach(Runnable::run);
      }
    });
  }

  /**
   * Checks and stores {@code request} as a batch of one and wakes the worker; fails with the
   * ApiError to answer (400, 403, 422), and then nothing is stored.
   */
  public Future<Stored> submit(ApiKey key, VcApiRequest request, String idempotencyKey) {
    String network = key.isLive() ? "base" : "base-sepolia";
    if (!networks.has(network)) {
      throw ApiError.ANCHORING_CHAIN_UNAVAILABLE.exception("Network " + network + " is not "
          + "configured on this gateway (no RPC URL); nothing was stored.");
    }
    JsonObject credential = request.credential();
    return issuerOf(key).compose(issuer -> {
      String named = VcApiRequest.issuerId(credential.getValue("issuer"));
      if (credential.getValue("issuer") != null && !issuer.equals(named)) {
        throw ApiError.INVALID_FIELD_FORMAT.exception("credential.issuer must be this tenant's "
            + "issuer, " + issuer + " (or left out: it is filled in), not " + named + ".");
      }
      JsonObject status = StatusListCredentials.entry(publicBaseUrl.get() + "/status/sl_next", 0);
      JsonObject candidate = VcApiCredential.build(VcApiCredential.input(credential,
          request.status()), issuer, status);
      String problem = VcDataModel.problem(candidate);
      if (problem != null) {
        throw (problem.endsWith(" is required") ? ApiError.MISSING_REQUIRED_FIELD
            : ApiError.INVALID_FIELD_FORMAT).exception("credential." + problem + ".");
      }
      return checks.executeBlocking(() -> signable(candidate), false)
          .compose(v -> store.create(key, new BatchRequest(network,
              issuer.startsWith("did:web:") ? issuer : null,
              List.of(VcApiCredential.input(credential, request.status()))), idempotencyKey));
    }).compose(batch -> pool.preparedQuery(FIND).execute(Tuple.of(batch.getString("id")))
        .map(rows -> new Stored(rows.iterator().next().getString("id"), batch.getString("id"))))
        .onSuccess(stored -> vertx.eventBus().send(Issuance.WAKE, null));
  }

  /** The signed credential, or null when it was not signed within {@link #WAIT_MILLIS}. */
  public Future<JsonObject> signed(Stored stored) {
    Promise<JsonObject> result = Promise.promise();
    look(stored, System.currentTimeMillis() + WAIT_MILLIS, result);
    return result.future();
  }

  private void look(Stored stored, long deadline, Promise<JsonObject> result) {
    pool.preparedQuery(FIND).execute(Tuple.of(stored.batchId())).onFailure(result::tryFail)
        .onSuccess(rows -> {
          Row row = rows.iterator().next();
          long left = deadline - System.currentTimeMillis();
          if (row.getString("vc") != null) {
            result.tryComplete(new JsonObject(row.getString("vc")));
          } else if ("failed".equals(row.getString("batch_status"))
              || "erased".equals(row.getString("status"))) {
            result.tryFail(new IllegalStateException("batch " + stored.batchId() + " is "
                + row.getString("batch_status") + ", credential " + row.getString("status")));
          } else if (left <= 0) {
            result.tryComplete(null);
          } else {
            waitForSignal(stored.batchId(), Math.min(POLL_MILLIS, left),
                () -> look(stored, deadline, result));
          }
        });
  }

  /** Runs {@code next} once: on the worker's signal for the batch, or after {@code millis}. */
  private void waitForSignal(String batchId, long millis, Runnable next) {
    boolean[] ran = {false};
    long[] timer = {-1};
    Runnable once = new Runnable() {
      @Override
      public void run() {
        if (!ran[0]) {
          ran[0] = true;
          vertx.cancelTimer(timer[0]);
          List<Runnable> waiters = waiting.get(batchId);
          if (waiters != null && waiters.remove(this) && waiters.isEmpty()) {
            waiting.remove(batchId);
          }
          next.run();
        }
      }
    };
    waiting.computeIfAbsent(batchId, id -> new ArrayList<>()).add(once);
    timer[0] = vertx.setTimer(millis, t -> once.run());
  }

  /** The issuer a credential of this key gets: the active did:web (live), else its did:key. */
  private Future<String> issuerOf(ApiKey key) {
    Future<String> didKey = keys.active(key.tenantId(), key.environment())
        .map(k -> k.didKey())
        .recover(e -> Future.failedFuture(e instanceof SignerUnavailableException
            ? ApiError.SIGNING_KEY_UNAVAILABLE.exception("This tenant's signing key could not "
                + "be made (the key vault is unavailable); nothing was stored, retry later.")
            : e));
    if (!key.isLive() || !key.plan().allowsCustomIssuerDid()) {
      return didKey;
    }
    return Issuers.claimOf(pool, key.tenantId()).compose(claim -> claim.isPresent()
        && claim.get().isActive() ? Future.succeededFuture(claim.get().did()) : didKey);
  }

  /** On a worker: the JSON-LD a verifier reads, within the verification bounds; else a 400. */
  private Void signable(JsonObject candidate) {
    try {
      proofs.checkSignable(candidate);
      return null;
    } catch (VerifyLimitException e) {
      throw ApiError.INVALID_FIELD_FORMAT.exception(e.getMessage() + ".");
    } catch (IllegalArgumentException e) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("credential is not JSON-LD that verifiers "
          + "read as signed (contexts are bundled, never fetched; nothing may be dropped): "
          + e.getMessage() + ".");
    }
  }
}
