package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.credential.OpenBadgeCredentials;
import com.learncoin.gateway.credential.StatusListCredentials;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.identity.TenantKey;
import com.learncoin.gateway.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code signing}: every credential of the batch becomes a signed Open Badges 3.0 credential, or,
 * from {@code POST /credentials/issue}, the caller's credential with its proof (in parallel on
 * the signing threads); they, the Merkle tree over them and the batch's move to
 * {@code anchoring} are stored in one transaction, so a crash before it simply signs again.
 */
final class SigningStep {
  private static final Logger LOG = LoggerFactory.getLogger(SigningStep.class);
  private final Issuance issuance;
  private final Metrics metrics;

  SigningStep(Issuance issuance, Metrics metrics) {
    this.issuance = issuance;
    this.metrics = metrics;
  }

  /** Runs on the worker verticle's thread: blocking while the signing threads work is fine. */
  Future<Void> run(Row batch) {
    String batchId = batch.getString("id");
    long started = System.nanoTime();
    return issuance.keyOf(batch).compose(key -> issuance.pool()
        .preparedQuery(IssuanceSql.CREDENTIALS).execute(Tuple.of(batchId))
        .compose(rows -> {
          List<Signed> signed = signAll(batch, key, rows);
          if (issuance.signerBreaker().success()) {
            issuance.resumeWaiting(ApiError.SIGNING_KEY_UNAVAILABLE, null);
          }
          return store(batch, key, signed).onSuccess(moved -> {
            if (!moved) {
              return;
            }
            metrics.batchTransition("anchoring");
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.atInfo().addKeyValue("batch_id", batchId).addKeyValue("state", "anchoring")
                .addKeyValue("credentials", signed.size()).addKeyValue("duration_ms", millis)
                .log("Batch {}: {} credentials signed in {} ms, now anchoring", batchId,
                    signed.size(), millis);
          }).mapEmpty();
        }));
  }

  private record Signed(String id, String vc, byte[] leaf) {}

  private List<Signed> signAll(Row batch, TenantKey key, Iterable<Row> credentials) {
    String custom = batch.getString("issuer");
    String method = key.verificationMethod(custom);
    var issuer = new OpenBadgeCredentials.Issuer(key.issuer(custom), batch.getString("tenant_name"));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<CompletableFuture<Signed>> work = new ArrayList<>();
    for (Row row : credentials) {
      String credentialId = row.getString("id");
      JsonObject input = row.getJsonObject("input");
      String listUrl = issuance.publicBaseUrl().get() + "/status/"
          + row.getString("status_list_id");
      JsonObject status = StatusListCredentials.entry(listUrl, row.getInteger("status_index"));
      work.add(CompletableFuture.supplyAsync(() -> {
        JsonObject vc = VcApiCredential.isVcApi(input)
            ? VcApiCredential.build(input, issuer.id(), status)
            : OpenBadgeCredentials.build(input, issuer, vcId(credentialId), status);
        String text = issuance.proofs().sign(vc, key.signer(), method, now).encode();
        return new Signed(credentialId, text, MerkleTree.sha256(text.getBytes(StandardCharsets.UTF_8)));
      }, issuance.signingThreads()));
    }
    List<Signed> signed = new ArrayList<>(work.size());
    for (CompletableFuture<Signed> future : work) {
      signed.add(unwrap(future));
    }
    return signed;
  }

  /**
   * Credentials, leaves, paths and the batch's move to anchoring commit together or not at all;
   * false when another node moved it first.
   */
  private Future<Boolean> store(Row batch, TenantKey key, List<Signed> signed) {
    MerkleTree tree = MerkleTree.of(signed.stream().map(Signed::leaf).toList());
    int n = signed.size();
    String[] ids = new String[n];
    String[] vcs = new String[n];
    String[] leaves = new String[n];
    String[] paths = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = signed.get(i).id();
      vcs[i] = signed.get(i).vc();
      leaves[i] = MerkleTree.hex(signed.get(i).leaf());
      paths[i] = tree.path(i).encode();
    }
    Tuple columns = Tuple.tuple().addArrayOfString(ids).addArrayOfString(vcs)
        .addArrayOfString(leaves).addArrayOfString(paths).addString(key.id());
    String batchId = batch.getString("id");
    return issuance.pool().withTransaction(tx -> tx.preparedQuery(IssuanceSql.SIGNED)
        .execute(Tuple.of(batchId, MerkleTree.hex(tree.root()),
            Networks.chainIdOf(batch.getString("network"))))
        .compose(moved -> moved.rowCount() == 0 ? Future.succeededFuture(false)
            : tx.preparedQuery(IssuanceSql.STORE_SIGNED).execute(columns).map(true)));
  }

  /** The credential's own id inside the VC: a name-based UUID, stable across re-signing. */
  static String vcId(String credentialId) {
    return "urn:uuid:" + UUID.nameUUIDFromBytes(credentialId.getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T unwrap(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
