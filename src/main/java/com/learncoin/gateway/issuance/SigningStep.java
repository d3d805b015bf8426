package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.credential.OpenBadgeCredentials;
import com.learncoin.gateway.credential.StatusListCredentials;
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

/**
 * {@code signing}: every credential of the batch not signed yet becomes a signed Open Badges 3.0
 * credential (in parallel on the signing threads); then the Merkle tree over all of them is
 * stored and the batch moves to {@code anchoring}. A crash in between re-signs only the rest.
 */
final class SigningStep {
  private final Issuance issuance;

  SigningStep(Issuance issuance) {
    this.issuance = issuance;
  }

  /** Runs on the worker verticle's thread: blocking while the signing threads work is fine. */
  Future<Void> run(Row batch) {
    String batchId = batch.getString("id");
    return issuance.pool().preparedQuery(IssuanceSql.UNSIGNED).execute(Tuple.of(batchId))
        .map(rows -> {
          List<Tuple> signed = signAll(batch, rows);
          issuance.signerBreaker().success();
          return signed;
        })
        .compose(signed -> signed.isEmpty() ? Future.succeededFuture()
            : issuance.pool().preparedQuery(IssuanceSql.STORE_SIGNED).executeBatch(signed).mapEmpty())
        .compose(v -> storeTree(batch));
  }

  private List<Tuple> signAll(Row batch, Iterable<Row> unsigned) {
    byte[] publicKey = issuance.signer().publicKey();
    String custom = batch.getString("issuer");
    String issuerId = custom != null ? custom : DidKey.fromEd25519(publicKey);
    String method = custom != null ? custom + "#" + DidKey.publicKeyMultibase(publicKey)
        : DidKey.verificationMethod(publicKey);
    var issuer = new OpenBadgeCredentials.Issuer(issuerId, batch.getString("tenant_name"));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<CompletableFuture<Tuple>> work = new ArrayList<>();
    for (Row row : unsigned) {
      String credentialId = row.getString("id");
      JsonObject input = row.getJsonObject("input");
      String listUrl = issuance.publicBaseUrl() + "/status/" + row.getString("status_list_id");
      JsonObject status = StatusListCredentials.entry(listUrl, row.getInteger("status_index"));
      work.add(CompletableFuture.supplyAsync(() -> {
        JsonObject vc = OpenBadgeCredentials.build(input, issuer, vcId(credentialId), status);
        String text = issuance.proofs().sign(vc, issuance.signer(), method, now).encode();
        String leaf = MerkleTree.hex(MerkleTree.sha256(text.getBytes(StandardCharsets.UTF_8)));
        return Tuple.of(credentialId, text, leaf);
      }, issuance.signingThreads()));
    }
    List<Tuple> signed = new ArrayList<>(work.size());
    for (CompletableFuture<Tuple> future : work) {
      signed.add(unwrap(future));
    }
    return signed;
  }

  private Future<Void> storeTree(Row batch) {
    String batchId = batch.getString("id");
    return issuance.pool().withTransaction(tx -> tx.preparedQuery(IssuanceSql.LEAVES)
        .execute(Tuple.of(batchId)).compose(rows -> {
          List<String> ids = new ArrayList<>();
          List<byte[]> leaves = new ArrayList<>();
          rows.forEach(row -> {
            ids.add(row.getString("id"));
            leaves.add(MerkleTree.unhex(row.getString("leaf")));
          });
          MerkleTree tree = MerkleTree.of(leaves);
          List<Tuple> paths = new ArrayList<>(ids.size());
          for (int i = 0; i < ids.size(); i++) {
            paths.add(Tuple.of(ids.get(i), tree.path(i)));
          }
          return tx.preparedQuery(IssuanceSql.STORE_PATH).executeBatch(paths)
              .compose(v -> tx.preparedQuery(IssuanceSql.SIGNED).execute(Tuple.of(batchId,
                  MerkleTree.hex(tree.root()), Networks.chainIdOf(batch.getString("network")))));
        })).mapEmpty();
  }

  /** The credential's own id inside the VC: a name-based UUID, stable across re-signing. */
  static String vcId(String credentialId) {
    return "urn:uuid:" + UUID.nameUUIDFromBytes(credentialId.getBytes(StandardCharsets.UTF_8));
  }

  private static Tuple unwrap(CompletableFuture<Tuple> future) {
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
