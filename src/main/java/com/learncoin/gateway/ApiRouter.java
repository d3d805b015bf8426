package com.learncoin.gateway;

import com.learncoin.gateway.http.RequestSanity;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The whole HTTP surface on one sheet, top to bottom: the chain every request passes, then every
 * route. The handlers come ready from {@link Handlers}; this class holds nothing but the table.
 */
public final class ApiRouter {
  private ApiRouter() {}

  public static Router create(Vertx vertx, Handlers h) {
    Services s = h.services();
    Router router = Router.router(vertx);
    // Every request passes one route of four handlers: matched once, not once per handler. A body
    // is held unread here (413 and 415 judged from the head) and read only after authentication.
    router.route()
        .handler(h.requestIds())
        .handler(h.bodies()::hold)
        .handler(RequestSanity::check)
        .handler(h.bodies()::requireJson);

    router.get("/health/live").handler(h.health()::live);
    router.get("/health/ready").handler(h.health()::ready);
    router.get("/openapi.yaml").handler(h.openApi()::get);
    router.get("/status/:list_id").handler(h.statusLists()::get);
    if (s.metrics().enabled()) {
      router.get("/metrics").handler(h.admin().auth()).handler(s.metrics().scrapeHandler());
    }

    // Key, allowlist and limiter judge the head alone; only then is the body read. The W3C VC
    // API's routes (their paths fixed by that API) pass the same chain as /v1.
    for (String authenticated : new String[] {"/v1/*", "/credentials/*", "/presentations/*"}) {
      router.route(authenticated)
          .handler(h.apiKeys())
          .handler(h.allowlist())
          .handler(s.rateLimiter())
          .handler(h.bodies()::read)
          .handler(s.idempotency());
    }
    router.post("/v1/batches").handler(h.batches()::create);
    router.get("/v1/batches/:id").handler(h.batches()::get);
    router.get("/v1/batches/:id/credentials").handler(h.credentials()::listOfBatch);
    router.get("/v1/credentials/:id").handler(h.credentials()::get);
    router.post("/v1/credentials/:id/revoke").handler(h.lifecycle()::revoke);
    router.post("/v1/credentials/:id/erase").handler(h.lifecycle()::erase);
    router.get("/v1/tenants/:id").handler(h.tenants()::get);
    router.get("/v1/issuer").handler(h.issuer()::get);
    router.put("/v1/issuer").handler(h.issuer()::put);
    router.post("/v1/issuer/verify").handler(h.issuer()::verify);
    router.post("/v1/verify").handler(h.verify()::verify);
    router.post("/credentials/issue").handler(h.vcApi()::issue);
    router.post("/credentials/verify").handler(h.vcApi()::verifyCredential);
    router.post("/presentations/verify").handler(h.vcApi()::verifyPresentation);
    router.post("/v1/webhooks").handler(h.webhooks()::create);
    router.get("/v1/webhooks").handler(h.webhooks()::list);
    router.get("/v1/webhooks/:id").handler(h.webhooks()::get);
    router.delete("/v1/webhooks/:id").handler(h.webhooks()::delete);
    router.get("/v1/webhooks/:id/deliveries").handler(h.webhooks()::deliveries);
    router.post("/v1/webhooks/:id/deliveries/:delivery_id/retry").handler(h.webhooks()::retry);

    router.route("/admin/v1/*").handler(h.admin().auth()).handler(h.bodies()::read);
    router.post("/admin/v1/tenants").handler(h.admin()::createTenant);
    router.get("/admin/v1/tenants/:id").handler(h.admin()::getTenant);
    router.patch("/admin/v1/tenants/:id").handler(h.admin()::changePlan);
    router.post("/admin/v1/tenants/:id/keys").handler(h.admin()::createKey);
    router.put("/admin/v1/keys/:id/ip-allowlist").handler(h.admin()::replaceAllowlist);
    router.post("/admin/v1/keys/:id/revoke").handler(h.admin()::revokeKey);
    router.get("/admin/v1/audit/:request_id").handler(h.admin()::auditRecord);
    router.get("/admin/v1/tenants").handler(h.admin()::listTenants);
    router.get("/admin/v1/tenants/:id/keys").handler(h.admin()::listKeys);
    router.get("/admin/v1/tenants/:id/signing-keys").handler(h.signingKeys()::list);
    router.post("/admin/v1/tenants/:id/signing-keys/rotate").handler(h.signingKeys()::rotate);
    router.post("/admin/v1/tenants/:id/signing-keys/:key_id/retire")
        .handler(h.signingKeys()::retire);
    router.get("/console").handler(h.console()::page);
    router.get("/console/:asset").handler(h.console()::asset);

    router.route().failureHandler(h.failures());
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, h.failures().forStatus(status));
    }
    h.requestIds().routes().use(router.getRoutes());
    return router;
  }
}
