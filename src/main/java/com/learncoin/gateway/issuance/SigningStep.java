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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code signing}: every credential of the batches becomes a signed Open Badges 3.0 credential, or,
 * from {@code POST /credentials/issue}, the caller's credential with its proof (in parallel on
 * the signing threads); they, each batch's Merkle tree and the batches' move to
 * {@code anchoring} are stored in one transaction, so a crash before it simply signs again. Small
 * batches (a badge the moment a course ends) are signed many at a time: one lease, one query,
 * one transaction, instead of each paying for its own.
 */
final class SigningStep {
  private static final Logger LOG = LoggerFactory.getLogger(SigningStep.class);
  /** A batch of at most this many credentials is signed together with others... */
  static final int SMALL_BATCH = 10;
  /** ...up to this many at once. */
  static final int GROUP = 64;
  private final Issuance issuance;
  private final Metrics metrics;

  SigningStep(Issuance issuance, Metrics metrics) {
    this.issuance = issuance;
    this.metrics = metrics;
  }

  /**
   * Runs on the worker verticle's thread: blocking while the signing threads work is fine. The
   * batches this step moved to anchoring (not those another node moved first).
   */
  Future<List<Row>> run(List<Row> batches) {
    long started = System.nanoTime();
    List<Future<TenantKey>> keys = batches.stream().map(issuance::keyOf).toList();
    String[] ids = batches.stream().map(b -> b.getString("id")).toArray(String[]::new);
    return Future.all(keys).compose(k -> issuance.pool()
        .preparedQuery(IssuanceSql.CREDENTIALS).execute(Tuple.of(ids))
        .compose(rows -> {
          Map<String, List<Row>> credentials = new HashMap<>();
          rows.forEach(row -> credentials.computeIfAbsent(row.getString("batch_id"),
              id -> new ArrayList<>()).add(row));
          List<List<CompletableFuture<Signed>>> work = new ArrayList<>();
          for (int i = 0; i < batches.size(); i++) {
            work.add(signAll(batches.get(i), keys.get(i).result(),
                credentials.getOrDefault(ids[i], List.of())));
          }
          List<List<Signed>> signed = work.stream().map(w -> w.stream().map(SigningStep::unwrap)
              .toList()).toList();
          if (issuance.signerBreaker().success()) {
            issuance.resumeWaiting(ApiError.SIGNING_KEY_UNAVAILABLE, null);
          }
          return store(batches, keys, signed).onSuccess(moved -> {
            long millis = (System.nanoTime() - started) / 1_000_000;
            for (Row batch : moved) {
              metrics.batchTransition("anchoring");
              int n = batch.getInteger("count");
              LOG.atInfo().addKeyValue("batch_id", batch.getString("id"))
                  .addKeyValue("state", "anchoring").addKeyValue("credentials", n)
                  .addKeyValue("duration_ms", millis)
                  .log("Batch {}: {} credentials signed in {} ms, now anchoring",
                      batch.getString("id"), n, millis);
            }
          });
        }));
  }

  private record Signed(String id, String vc, byte[] leaf) {}

  private List<CompletableFuture<Signed>> signAll(Row batch, TenantKey key,
      Iterable<Row> credentials) {
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
    return work;
  }

  /**
   * Credentials, leaves, paths and the batches' move to anchoring commit together or not at all;
   * only the batches still in signing move (another node may have moved some first), and only
   * theirs credentials are stored. The first batch of each network looks for a round soon (the
   * worker tries at once); the others are in that round anyway and look again only after a while.
   */
  private Future<List<Row>> store(List<Row> batches, List<Future<TenantKey>> keys,
      List<List<Signed>> signed) {
    int n = batches.size();
    String[] ids = new String[n];
    String[] roots = new String[n];
    Long[] chains = new Long[n];
    Double[] waits = new Double[n];
    List<MerkleTree> trees = new ArrayList<>(n);
    Set<String> networks = new HashSet<>();
    for (int i = 0; i < n; i++) {
      MerkleTree tree = MerkleTree.of(signed.get(i).stream().map(Signed::leaf).toList());
      trees.add(tree);
      ids[i] = batches.get(i).getString("id");
      roots[i] = MerkleTree.hex(tree.root());
      String network = batches.get(i).getString("network");
      chains[i] = Networks.chainIdOf(network);
      waits[i] = networks.add(network) ? RoundBuilder.WAIT_SECONDS : RoundBuilder.SAFETY_SECONDS;
    }
    return issuance.pool().withTransaction(tx -> tx.preparedQuery(IssuanceSql.SIGNED)
        .execute(Tuple.of(ids, roots, chains, waits))
        .compose(rows -> {
          Set<String> moved = new HashSet<>();
          rows.forEach(row -> moved.add(row.getString("id")));
          Credentials stored = new Credentials();
          for (int i = 0; i < n; i++) {
            if (moved.contains(ids[i])) {
              stored.add(signed.get(i), trees.get(i), keys.get(i).result().id());
            }
          }
          List<Row> movedBatches = batches.stream()
              .filter(b -> moved.contains(b.getString("id"))).toList();
          return stored.isEmpty() ? Future.succeededFuture(movedBatches)
              : tx.preparedQuery(IssuanceSql.STORE_SIGNED).execute(stored.tuple())
                  .map(movedBatches);
        }));
  }

  /** The STORE_SIGNED columns: one entry per credential. */
  private static final class Credentials {
    private final List<String> ids = new ArrayList<>();
    private final List<String> vcs = new ArrayList<>();
    private final List<String> leaves = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private final List<String> keyIds = new ArrayList<>();

    void add(List<Signed> signed, MerkleTree tree, String keyId) {
      for (int i = 0; i < signed.size(); i++) {
        ids.add(signed.get(i).id());
        vcs.add(signed.get(i).vc());
        leaves.add(MerkleTree.hex(signed.get(i).leaf()));
        paths.add(tree.path(i).encode());
        keyIds.add(keyId);
      }
    }

    boolean isEmpty() {
      return ids.isEmpty();
    }

    Tuple tuple() {
      return Tuple.tuple().addArrayOfString(ids.toArray(String[]::new))
          .addArrayOfString(vcs.toArray(String[]::new))
          .addArrayOfString(leaves.toArray(String[]::new))
          .addArrayOfString(paths.toArray(String[]::new))
          .addArrayOfString(keyIds.toArray(String[]::new));
    }
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
