package com.learncoin.gateway.admin;

import com.learncoin.gateway.audit.AuditLog;
import com.learncoin.gateway.audit.AuditRecord;
import com.learncoin.gateway.auth.ApiKeyRegistry;
import com.learncoin.gateway.auth.Plan;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Pagination;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.net.Cidr;
import com.learncoin.gateway.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The operator's API under {@code /admin/v1} (API.md §8). */
public final class AdminRoutes {
  private static final int MAX_ALLOWLIST = 100;

  private final TenantStore tenants;
  private final TenantKeys signingKeys;
  private final ApiKeyRegistry keys;
  private final AuditLog audit;
  private final AdminAuthHandler auth;

  public AdminRoutes(TenantStore tenants, TenantKeys signingKeys, ApiKeyRegistry keys,
      AuditLog audit, JWTAuth jwt) {
    this.tenants = tenants;
    this.signingKeys = signingKeys;
    this.keys = keys;
    this.audit = audit;
    this.auth = new AdminAuthHandler(jwt);
  }

  public Handler<RoutingContext> auth() {
    return auth;
  }

  public void createTenant(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    String name = requiredText(body, "name");
    Plan plan = plan(body.getValue("plan"), Plan.STARTER);
    tenants.create(name, plan)
        // The tenant's keys are made now; if the vault is away, its first batch makes them.
        .compose(tenant -> Future.join(signingKeys.active(tenant.getString("id"), "test"),
            signingKeys.active(tenant.getString("id"), "live")).transform(made -> Future
            .succeededFuture(tenant)))
        .onFailure(ctx::fail).onSuccess(t -> Responses.json(ctx, 201, t));
  }

  public void listTenants(RoutingContext ctx) {
    int limit = Pagination.limit(ctx.queryParams().get("limit"));
    tenants.page(ctx.queryParams().get("starting_after"), limit).onFailure(ctx::fail)
        .onSuccess(page -> Responses.json(ctx, 200, page));
  }

  /** {@code GET /admin/v1/tenants/{id}}: the tenant with this month's usage, as the console shows it. */
  public void getTenant(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    tenants.findWithUsage(id).onFailure(ctx::fail).onSuccess(tenant -> {
      if (tenant.isEmpty()) {
        ctx.fail(tenantNotFound(id));
      } else {
        Responses.send(ctx, 200, tenant.get());
      }
    });
  }

  public void changePlan(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    if (body.getValue("plan") == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("plan is required.");
    }
    String id = ctx.pathParam("id");
    answer(ctx, tenants.changePlan(id, plan(body.getValue("plan"), null)), 200,
        () -> tenantNotFound(id));
  }

  public void createKey(RoutingContext ctx) {
    JsonObject body = JsonBodies.objectOrEmpty(ctx.body().buffer());
    Object environment = body.getValue("environment", "test");
    if (!"test".equals(environment) && !"live".equals(environment)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("environment must be 'test' or 'live'.");
    }
    String tenantId = ctx.pathParam("id");
    answer(ctx, keys.create(tenantId, (String) environment, allowlist(body, false)), 201,
        () -> tenantNotFound(tenantId));
  }

  /** The tenant's keys; an unknown tenant is 404 tenant_not_found, not an empty list. */
  public void listKeys(RoutingContext ctx) {
    int limit = Pagination.limit(ctx.queryParams().get("limit"));
    String tenantId = ctx.pathParam("id");
    tenants.find(tenantId).compose(tenant -> tenant.isEmpty()
            ? Future.<JsonObject>failedFuture(tenantNotFound(tenantId))
            : keys.pageOfTenant(tenantId, ctx.queryParams().get("starting_after"), limit))
        .onFailure(ctx::fail)
        .onSuccess(page -> Responses.json(ctx, 200, page));
  }

  public void replaceAllowlist(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    String id = ctx.pathParam("id");
    answer(ctx, keys.replaceAllowlist(id, allowlist(body, true)), 200, () -> keyNotFound(id));
  }

  public void revokeKey(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    answer(ctx, keys.revoke(id), 200, () -> keyNotFound(id));
  }

  public void auditRecord(RoutingContext ctx) {
    String id = ctx.pathParam("request_id");
    answer(ctx, audit.find(id).map(found -> found.map(AuditRecord::toJson)), 200,
        () -> ApiError.ROUTE_NOT_FOUND.exception("No audit record " + id + " (yet): records are "
            + "written within a second of the response."));
  }

  private static void answer(RoutingContext ctx, Future<Optional<JsonObject>> result, int status,
      java.util.function.Supplier<RuntimeException> notFound) {
    result.onFailure(ctx::fail).onSuccess(found -> {
      if (found.isPresent()) {
        Responses.json(ctx, status, found.get());
      } else {
        ctx.fail(notFound.get());
      }
    });
  }

  private static String requiredText(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception(field + " is required.");
    }
    if (!(value instanceof String text) || text.isBlank() || text.length() > 200) {
      throw ApiError.INVALID_FIELD_FORMAT.exception(field + " must be a string of 1 to 200 characters.");
    }
    return text;
  }

  private static Plan plan(Object value, Plan fallback) {
    if (value == null && fallback != null) {
      return fallback;
    }
    return (value instanceof String name ? Plan.parse(name) : Optional.<Plan>empty())
        .orElseThrow(() -> ApiError.INVALID_FIELD_FORMAT.exception(
            "plan must be one of starter, institution, industry."));
  }

  private static List<String> allowlist(JsonObject body, boolean required) {
    Object value = body.getValue("ip_allowlist");
    if (value == null && !required) {
      return List.of();
    }
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("ip_allowlist is required (an empty array "
          + "allows every address).");
    }
    if (!(value instanceof JsonArray entries) || entries.size() > MAX_ALLOWLIST) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("ip_allowlist must be an array of at most "
          + MAX_ALLOWLIST + " IP addresses or CIDRs.");
    }
    List<String> normalised = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Object entry = entries.getValue(i);
      if (!(entry instanceof String text) || !Cidr.isValid(text)) {
        throw ApiError.INVALID_FIELD_FORMAT.exception("ip_allowlist[" + i + "] must be an IPv4 or "
            + "IPv6 address or CIDR, e.g. 203.0.113.0/24 or 2001:db8::/32.");
      }
      normalised.add(text.trim());
    }
    return normalised;
  }

  private static RuntimeException tenantNotFound(String id) {
    return ApiError.TENANT_NOT_FOUND.exception("No tenant " + id + ".");
  }

  private static RuntimeException keyNotFound(String id) {
    return ApiError.ROUTE_NOT_FOUND.exception("No API key " + id + ".");
  }
}
