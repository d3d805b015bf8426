package com.learncoin.gateway.identity;

import com.learncoin.gateway.auth.ApiKeyStore;
import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.db.DatabaseErrors;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.signing.Signer;
import com.learncoin.gateway.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tenants' did:web issuers, proven rather than claimed: a DID belongs to one tenant, starts
 * {@code pending_verification}, and becomes {@code active} once the document published at its
 * did:web URL lists the tenant's active live key. Only an active DID names the issuer of a batch,
 * and only its tenant's keys verify under it.
 */
public final class Issuers {
  public static final String PENDING = "pending_verification";
  public static final String ACTIVE = "active";
  static final String LIVE = "live";

  private final Pool pool;
  private final TenantKeys keys;
  private final DidWebDocuments documents;
  private final Signer gatewayKey;
  private final TenantStore tenants;

  public Issuers(Pool pool, TenantKeys keys, DidWebDocuments documents, Signer gatewayKey,
      TenantStore tenants) {
    this.pool = pool;
    this.tenants = tenants;
    this.keys = keys;
    this.documents = documents;
    this.gatewayKey = gatewayKey;
  }

  /** The tenant's issuer DID and its state, in {@code client}'s transaction if it has one. */
  public record Claim(String did, String status) {
    public boolean isActive() {
      return ACTIVE.equals(status);
    }
  }

  public static Future<Optional<Claim>> claimOf(SqlClient client, String tenantId) {
    return client.preparedQuery(IssuerSql.OF_TENANT).execute(Tuple.of(tenantId)).map(rows -> {
      Row row = rows.size() == 0 ? null : rows.iterator().next();
      return row == null || row.getString("issuer_did") == null ? Optional.empty()
          : Optional.of(new Claim(row.getString("issuer_did"), row.getString("issuer_did_status")));
    });
  }

  /** {@code PUT /v1/issuer}: claims {@code did}; another tenant's DID is 409 issuer_did_taken. */
  public Future<JsonObject> claim(String tenantId, String did) {
    return pool.withTransaction(tx -> tx.preparedQuery(IssuerSql.CLAIM)
            .execute(Tuple.of(tenantId, did))
            .compose(rows -> ApiKeyStore.announceTenant(tx, tenantId).map(rows)))
        // Like a plan change: the cached GET-tenant body goes here at once, elsewhere on NOTIFY.
        .onSuccess(rows -> tenants.forgetUsage(tenantId))
        .recover(e -> Future.failedFuture(DatabaseErrors.isUniqueViolation(e)
            ? ApiError.ISSUER_DID_TAKEN.exception(did + " is the issuer DID of another tenant; a "
                + "DID belongs to one tenant.") : e))
        .compose(rows -> describe(tenantId, rows.iterator().next()));
  }

  /** {@code GET /v1/issuer}. */
  public Future<JsonObject> get(String tenantId) {
    return pool.preparedQuery(IssuerSql.OF_TENANT).execute(Tuple.of(tenantId))
        .compose(rows -> describe(tenantId, rows.iterator().next()));
  }

  /**
   * {@code POST /v1/issuer/verify}: fetches the DID document and activates the DID if it lists the
   * tenant's active live key; otherwise the DID stays (or goes back to) pending, with the reason.
   */
  public Future<JsonObject> verify(String tenantId) {
    return claimOf(pool, tenantId).compose(claim -> {
      if (claim.isEmpty()) {
        return Future.failedFuture(ApiError.MISSING_REQUIRED_FIELD.exception("This tenant has no "
            + "issuer DID to verify: PUT /v1/issuer {\"did\": \"did:web:...\"} first."));
      }
      String did = claim.get().did();
      return keys.active(tenantId, LIVE)
          .compose(key -> documents.fetch(did)
              .map(document -> DidDocumentCheck.problem(document, did, key.publicKeyMultibase()))
              .recover(e -> Future.succeededFuture(e.getMessage())))
          .compose(problem -> pool.withTransaction(tx -> tx.preparedQuery(IssuerSql.CHECKED)
              .execute(Tuple.of(tenantId, did, problem == null ? ACTIVE : PENDING, problem))
              .compose(rows -> ApiKeyStore.announceTenant(tx, tenantId).map(rows))))
          .onSuccess(rows -> tenants.forgetUsage(tenantId))
          .compose(rows -> rows.size() == 0 ? get(tenantId)
              : describe(tenantId, rows.iterator().next()));
    });
  }

  /**
   * The keys that verify credentials naming {@code did}: the live keys its tenant publishes, if
   * {@code did} is a tenant's active issuer DID; none otherwise.
   */
  public Future<List<byte[]>> keysOf(String did) {
    return pool.preparedQuery(IssuerSql.ACTIVE_OWNER).execute(Tuple.of(did)).compose(rows ->
        rows.size() == 0 ? Future.succeededFuture(List.of())
            : publishedKeys(rows.iterator().next().getString("id")));
  }

  /** The live keys not retired, and the gateway key while credentials it signed for the DID exist. */
  private Future<List<byte[]>> publishedKeys(String tenantId) {
    return keys.active(tenantId, LIVE)
        .compose(v -> Future.all(keys.published(tenantId, LIVE),
            keys.hasLegacyCredentials(tenantId, LIVE)))
        .map(both -> {
          List<byte[]> published = new ArrayList<>();
          if (both.<Boolean>resultAt(1)) {
            published.add(gatewayKey.publicKey());
          }
          both.<List<TenantKey>>resultAt(0).forEach(key -> published.add(key.publicKey()));
          return published;
        });
  }

  private Future<JsonObject> describe(String tenantId, Row row) {
    String did = row.getString("issuer_did");
    if (did == null) {
      return Future.succeededFuture(new JsonObject().put("object", "issuer").putNull("did")
          .putNull("status"));
    }
    return publishedKeys(tenantId).map(published -> new JsonObject()
        .put("object", "issuer")
        .put("did", did)
        .put("status", row.getString("issuer_did_status"))
        .put("document_url", DidWebDocuments.documentUrl(did).toString())
        .put("did_document", DidKey.didDocument(did, published))
        .put("checked_at", Timestamps.rfc3339(row.getOffsetDateTime("issuer_did_checked_at")))
        .put("verification_error", row.getString("issuer_did_error")));
  }
}
