package com.learncoin.gateway.tenant;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.Responses;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/tenants/{id}}: a key sees its own tenant and no other. */
public final class TenantRoutes {
  private final TenantStore tenants;

  public TenantRoutes(TenantStore tenants) {
    this.tenants = tenants;
  }

  public void get(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String id = ctx.pathParam("id");
    if (!id.equals(key.tenantId())) {
      ctx.fail(notFound(id));
      return;
    }
    // The key's own string (equal to id): the tenant cache and the rate limiter then key their
    // entries by the one copy the key cache holds, not by a copy from each request's path.
    tenants.findWithUsage(key.tenantId()).onFailure(ctx::fail).onSuccess(tenant -> {
      if (tenant.isEmpty()) {
        ctx.fail(notFound(id));
      } else {
        Responses.send(ctx, 200, tenant.get());
      }
    });
  }

  private static RuntimeException notFound(String id) {
    return ApiError.TENANT_NOT_FOUND.exception("No tenant " + id + " for this API key.");
  }
}
