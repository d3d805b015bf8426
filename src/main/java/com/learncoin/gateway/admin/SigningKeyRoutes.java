package com.learncoin.gateway.admin;

import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.identity.TenantKey;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.lifecycle.CredentialStore;
import com.learncoin.gateway.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/**
 * A tenant's signing keys, for the operator: list them, rotate one environment's key (new
 * credentials use the new key, the old one stays published so what it signed keeps verifying),
 * and retire a key (compromised, say): it leaves the did:web documents and every credential it
 * signed is revoked, in one transaction.
 */
public final class SigningKeyRoutes {
  private static final Set<String> ENVIRONMENTS = Set.of("test", "live");

  private final Pool pool;
  private final TenantStore tenants;
  private final TenantKeys keys;

  public SigningKeyRoutes(Pool pool, TenantStore tenants, TenantKeys keys) {
    this.pool = pool;
    this.tenants = tenants;
    this.keys = keys;
  }

  /** {@code GET /admin/v1/tenants/{id}/signing-keys}: every key, oldest first. */
  public void list(RoutingContext ctx) {
    String tenantId = ctx.pathParam("id");
    existing(tenantId)
        .compose(v -> keys.rowsOf(tenantId))
        .compose(rows -> Future.all(rows.stream().map(row -> keys.byId(row.getString("id")))
            .toList()))
        .onFailure(ctx::fail)
        .onSuccess(all -> {
          JsonArray data = new JsonArray();
          all.<TenantKey>list().forEach(key -> data.add(key.toJson()));
          Responses.json(ctx, 200, new JsonObject().put("object", "list").put("data", data)
              .put("has_more", false));
        });
  }

  /** {@code POST /admin/v1/tenants/{id}/signing-keys/rotate {"environment"}}: 201, the new key. */
  public void rotate(RoutingContext ctx) {
    String tenantId = ctx.pathParam("id");
    Object environment = JsonBodies.object(ctx.body().buffer()).getValue("environment");
    if (environment == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("environment is required: test or live.");
    }
    if (!(environment instanceof String env) || !ENVIRONMENTS.contains(env)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("environment must be test or live.");
    }
    existing(tenantId).compose(v -> keys.rotate(tenantId, env)).onFailure(ctx::fail)
        .onSuccess(key -> Responses.json(ctx, 201, key.toJson()));
  }

  /**
   * {@code POST /admin/v1/tenants/{id}/signing-keys/{key_id}/retire}: 200 with the key and how
   * many credentials were revoked; a key already retired revokes nothing more.
   */
  public void retire(RoutingContext ctx) {
    String tenantId = ctx.pathParam("id");
    String keyId = ctx.pathParam("key_id");
    existing(tenantId)
        .compose(v -> pool.withTransaction(tx -> TenantKeys.retire(tx, tenantId, keyId)
            .compose(retired -> !retired ? Future.succeededFuture(0)
                : CredentialStore.revokeSignedWith(tx, tenantId, keyId))))
        .onSuccess(revoked -> keys.forgetTenant(tenantId))
        .compose(revoked -> keys.byId(keyId)
            .compose(key -> key.tenantId().equals(tenantId) ? Future.succeededFuture(key)
                : Future.failedFuture("another tenant's key"))
            .recover(e -> Future.failedFuture(ApiError.ROUTE_NOT_FOUND.exception("Tenant "
                + tenantId + " has no signing key " + keyId + ".")))
            .map(key -> key.toJson().put("revoked_credentials", revoked)))
        .onFailure(ctx::fail)
        .onSuccess(body -> Responses.json(ctx, 200, body));
  }

  private Future<Void> existing(String tenantId) {
    return tenants.find(tenantId).compose(found -> found.isPresent() ? Future.succeededFuture()
        : Future.failedFuture(ApiError.TENANT_NOT_FOUND.exception("No tenant " + tenantId + ".")));
  }
}
