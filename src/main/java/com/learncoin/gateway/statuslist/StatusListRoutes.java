package com.learncoin.gateway.statuslist;

import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.credential.StatusListCredentials;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.identity.TenantKey;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.signing.Signer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.function.Supplier;

/**
 * {@code GET /status/{list_id}}: public, no key. The signed BitstringStatusListCredential is kept
 * until a revocation clears it, so verifiers polling a list cost one read, not a signature.
 */
public final class StatusListRoutes {
  private static final String FIND =
      "SELECT signed, issuer, signing_key_id FROM status_lists WHERE id = $1";
  private static final String REVOKED = """
      SELECT status_index FROM credentials WHERE status_list_id = $1 AND revoked_at IS NOT NULL""";
  private static final String STORE =
      "UPDATE status_lists SET signed = $2, signed_at = now() WHERE id = $1 AND signed IS NULL";

  private final Vertx vertx;
  private final Pool pool;
  private final Signer signer;
  private final DataIntegrityProofs proofs;
  private final Supplier<String> publicBaseUrl;
  private final TenantKeys keys;

  public StatusListRoutes(Vertx vertx, Pool pool, Signer signer, TenantKeys keys,
      DataIntegrityProofs proofs, Supplier<String> publicBaseUrl) {
    this.keys = keys;
    this.vertx = vertx;
    this.pool = pool;
    this.signer = signer;
    this.proofs = proofs;
    this.publicBaseUrl = publicBaseUrl;
  }

  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("list_id");
    pool.preparedQuery(FIND).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ApiError.ROUTE_NOT_FOUND.exception("No status list " + id + "."));
      }
      Row list = rows.iterator().next();
      String signed = list.getString("signed");
      return signed != null ? Future.succeededFuture(signed)
          : signingKey(list.getString("signing_key_id"))
              .compose(signer -> sign(id, list.getString("issuer"), signer));
    }).onFailure(ctx::fail).onSuccess(signed -> {
      String etag = "\"" + MerkleTree.hex(MerkleTree.sha256(signed.getBytes(StandardCharsets.UTF_8)))
          .substring(2, 34) + "\"";
      ctx.response().putHeader("Cache-Control", "public, max-age=60").putHeader("ETag", etag);
      if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
        ctx.response().setStatusCode(304).end();
      } else {
        Responses.send(ctx, 200, Buffer.buffer(signed));
      }
    });
  }

  /** The list's key; the gateway-wide key for lists from before tenants had keys. */
  private Future<Signer> signingKey(String keyId) {
    return keyId == null ? Future.succeededFuture(signer) : keys.byId(keyId).map(TenantKey::signer);
  }

  /** Signed by the credentials' issuer: the did:key, or the tenant's did:web with the same key. */
  private Future<String> sign(String id, String customIssuer, Signer signer) {
    return pool.preparedQuery(REVOKED).execute(Tuple.of(id)).compose(rows -> {
      BitSet revoked = new BitSet(StatusListAllocator.LIST_SIZE);
      rows.forEach(row -> revoked.set(row.getInteger("status_index")));
      String url = publicBaseUrl.get() + "/status/" + id;
      return vertx.executeBlocking(() -> {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] publicKey = signer.publicKey();
        String issuer = customIssuer != null ? customIssuer : DidKey.fromEd25519(publicKey);
        String method = customIssuer != null
            ? customIssuer + "#" + DidKey.publicKeyMultibase(publicKey)
            : DidKey.verificationMethod(publicKey);
        return proofs.sign(StatusListCredentials.unsigned(url, issuer, revoked, now), signer,
            method, now).encode();
      });
    }).compose(signed -> pool.preparedQuery(STORE).execute(Tuple.of(id, signed)).map(signed));
  }
}
