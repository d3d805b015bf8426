package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.identity.TenantKey;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.resilience.DependencyBreaker;
import com.learncoin.gateway.signing.Signer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * What the issuance worker needs: storage, the gateway key and tenants' keys, proofs, the networks, settings. The
 * public base URL is read when used: with port 0 it names the port the HTTP servers were given.
 */
public record Issuance(
    Pool pool,
    Signer signer,
    TenantKeys keys,
    DependencyBreaker signerBreaker,
    DataIntegrityProofs proofs,
    Networks networks,
    ExecutorService signingThreads,
    Supplier<String> publicBaseUrl,
    int confirmations,
    int maxPendingTx,
    int maxRoundBatches,
    java.math.BigDecimal minWalletBalanceEth,
    int replaceAfterBlocks) {

  /**
   * The key a batch is signed with: the tenant's key pinned at intake, or, for a batch queued
   * before tenants had keys of their own, the gateway-wide key it was promised.
   */
  Future<TenantKey> keyOf(Row batch) {
    String id = batch.getString("signing_key_id");
    return id != null ? keys.byId(id) : Future.succeededFuture(new TenantKey(null,
        batch.getString("tenant_id"), batch.getString("environment"), TenantKey.ACTIVE,
        signer.publicKey(), signer, null, null, null));
  }

  /** The event-bus address intake uses to wake the worker when a batch is queued. */
  public static final String WAKE = "learncoin.issuance.wake";

  /** Where the worker publishes the id of each batch it signed (local to the node). */
  public static final String SIGNED = "learncoin.issuance.signed";

  /**
   * After a dependency's first success following failures: the batches waiting on it (last_error
   * {@code code}, on {@code network} or any when null) are due at once instead of at the end of
   * their backoff, which after a long outage is up to a minute away.
   */
  Future<Integer> resumeWaiting(ApiError code, String network) {
    return pool.preparedQuery(IssuanceSql.RESUME).execute(Tuple.of(code.code(), network))
        .map(rows -> rows.rowCount())
        .onSuccess(n -> LoggerFactory.getLogger(Issuance.class).info(
            "{} is back: {} waiting batches resume now", network == null ? "The signer" : network, n))
        .onFailure(e -> LoggerFactory.getLogger(Issuance.class).warn(
            "Waiting batches not resumed early: {}", e.getMessage()));
  }
}
