package com.learncoin.gateway;

import com.learncoin.gateway.admin.AdminRoutes;
import com.learncoin.gateway.admin.ConsoleRoutes;
import com.learncoin.gateway.audit.RequestIdHandler;
import com.learncoin.gateway.auth.ApiKeyAuthHandler;
import com.learncoin.gateway.auth.ApiKeyRegistry;
import com.learncoin.gateway.auth.IpAllowlistHandler;
import com.learncoin.gateway.http.BodyHandling;
import com.learncoin.gateway.http.FailureHandler;
import com.learncoin.gateway.http.OpenApiRoutes;
import com.learncoin.gateway.http.RequestSanity;
import com.learncoin.gateway.issuance.BatchRoutes;
import com.learncoin.gateway.issuance.CredentialRoutes;
import com.learncoin.gateway.issuance.Issuance;
import com.learncoin.gateway.issuance.LifecycleRoutes;
import com.learncoin.gateway.issuance.VerifyRoutes;
import com.learncoin.gateway.resilience.DependencyBreaker;
import com.learncoin.gateway.statuslist.StatusListRoutes;
import com.learncoin.gateway.tenant.IssuerRoutes;
import com.learncoin.gateway.tenant.TenantRoutes;
import com.learncoin.gateway.tenant.TenantStore;
import com.learncoin.gateway.webhook.WebhookRoutes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/** The whole HTTP surface, top to bottom: the chain every request passes, then the routes. */
public final class ApiRouter {
  private ApiRouter() {}

  public static Router create(Vertx vertx, Services s) {
    TenantStore tenantStore = s.tenants();
    Issuance issuance = s.issuance();
    BatchRoutes batches = new BatchRoutes(s.pool(), tenantStore, vertx.eventBus(), issuance.signerBreaker(),
        issuance.networks());
    CredentialRoutes credentials = new CredentialRoutes(s.pool(), tenantStore);
    LifecycleRoutes lifecycle = new LifecycleRoutes(s.pool());
    VerifyRoutes verify = new VerifyRoutes(vertx, s.pool(), issuance);
    StatusListRoutes statusLists = new StatusListRoutes(vertx, s.pool(), issuance.signer(),
        issuance.proofs(), issuance.publicBaseUrl());
    TenantRoutes tenants = new TenantRoutes(tenantStore);
    IssuerRoutes issuer = new IssuerRoutes(tenantStore, issuance.signer());
    Map<String, DependencyBreaker> dependencies = new LinkedHashMap<>();
    dependencies.put("signer", issuance.signerBreaker());
    issuance.networks().byName().values().forEach(n -> dependencies.put("chain:" + n.name(), n.breaker()));
    HealthRoutes health = new HealthRoutes(s.pool(), dependencies);
    OpenApiRoutes openApi = new OpenApiRoutes();
    AdminRoutes admin = new AdminRoutes(tenantStore, new ApiKeyRegistry(s.pool(), s.apiKeys()), s.audit(),
        s.adminJwt());
    ConsoleRoutes console = new ConsoleRoutes();
    WebhookRoutes webhooks = new WebhookRoutes(vertx, s.pool(),
        s.config().webhooksAllowPrivateTargets());
    FailureHandler failures = new FailureHandler();

    Router router = Router.router(vertx);
    RequestIdHandler requestIds = new RequestIdHandler(s.audit(), s.clientAddress(), s.metrics());
    // Every request passes one route of four handlers: matched once, not once per handler.
    router.route()
        .handler(requestIds)
        .handler(BodyHandling.limit(s.config().bodyLimitBytes()))
        .handler(RequestSanity::check)
        .handler(BodyHandling::requireJson);

    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/openapi.yaml").handler(openApi::get);
    router.get("/status/:list_id").handler(statusLists::get);
    if (s.metrics().enabled()) {
      router.get("/metrics").handler(admin.auth()).handler(s.metrics().scrapeHandler());
    }

    router.route("/v1/*")
        .handler(new ApiKeyAuthHandler(s.apiKeys()))
        .handler(new IpAllowlistHandler())
        .handler(s.rateLimiter())
        .handler(s.idempotency());
    router.post("/v1/batches").handler(batches::create);
    router.get("/v1/batches/:id").handler(batches::get);
    router.get("/v1/batches/:id/credentials").handler(credentials::listOfBatch);
    router.get("/v1/credentials/:id").handler(credentials::get);
    router.post("/v1/credentials/:id/revoke").handler(lifecycle::revoke);
    router.post("/v1/credentials/:id/erase").handler(lifecycle::erase);
    router.get("/v1/tenants/:id").handler(tenants::get);
    router.put("/v1/issuer").handler(issuer::put);
    router.post("/v1/verify").handler(verify::verify);
    router.post("/v1/webhooks").handler(webhooks::create);
    router.get("/v1/webhooks").handler(webhooks::list);
    router.get("/v1/webhooks/:id").handler(webhooks::get);
    router.delete("/v1/webhooks/:id").handler(webhooks::delete);
    router.get("/v1/webhooks/:id/deliveries").handler(webhooks::deliveries);
    router.post("/v1/webhooks/:id/deliveries/:delivery_id/retry").handler(webhooks::retry);

    router.route("/admin/v1/*").handler(admin.auth());
    router.post("/admin/v1/tenants").handler(admin::createTenant);
    router.patch("/admin/v1/tenants/:id").handler(admin::changePlan);
    router.post("/admin/v1/tenants/:id/keys").handler(admin::createKey);
    router.put("/admin/v1/keys/:id/ip-allowlist").handler(admin::replaceAllowlist);
    router.post("/admin/v1/keys/:id/revoke").handler(admin::revokeKey);
    router.get("/admin/v1/audit/:request_id").handler(admin::auditRecord);
    router.get("/admin/v1/tenants").handler(admin::listTenants);
    router.get("/admin/v1/tenants/:id/keys").handler(admin::listKeys);
    router.get("/console").handler(console::page);
    router.get("/console/*").handler(console::asset);

    router.route().failureHandler(failures);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, failures.forStatus(status));
    }
    requestIds.routes().use(router.getRoutes());
    return router;
  }
}
