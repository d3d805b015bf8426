package com.learncoin.gateway;

import com.learncoin.gateway.admin.AdminRoutes;
import com.learncoin.gateway.admin.ConsoleRoutes;
import com.learncoin.gateway.admin.SigningKeyRoutes;
import com.learncoin.gateway.audit.RequestIdHandler;
import com.learncoin.gateway.auth.ApiKeyAuthHandler;
import com.learncoin.gateway.auth.ApiKeyRegistry;
import com.learncoin.gateway.auth.IpAllowlistHandler;
import com.learncoin.gateway.http.BodyHandling;
import com.learncoin.gateway.http.FailureHandler;
import com.learncoin.gateway.http.OpenApiRoutes;
import com.learncoin.gateway.identity.DidWebDocuments;
import com.learncoin.gateway.identity.IssuerRoutes;
import com.learncoin.gateway.identity.Issuers;
import com.learncoin.gateway.issuance.BatchRoutes;
import com.learncoin.gateway.issuance.BatchStore;
import com.learncoin.gateway.issuance.Issuance;
import com.learncoin.gateway.issuance.VcApiIssuance;
import com.learncoin.gateway.lifecycle.CredentialRoutes;
import com.learncoin.gateway.lifecycle.CredentialStore;
import com.learncoin.gateway.lifecycle.LifecycleRoutes;
import com.learncoin.gateway.resilience.DependencyBreaker;
import com.learncoin.gateway.statuslist.StatusListRoutes;
import com.learncoin.gateway.tenant.TenantRoutes;
import com.learncoin.gateway.vcapi.VcApiRoutes;
import com.learncoin.gateway.verification.Verifier;
import com.learncoin.gateway.verification.VerifyRoutes;
import com.learncoin.gateway.webhook.WebhookRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every handler {@link ApiRouter} puts in its table, made ready here so the router holds nothing
 * but the table. Made once per HTTP verticle (each has its own router, and the request-id
 * handler's route labels are per router).
 */
public record Handlers(
    Services services,
    RequestIdHandler requestIds,
    BodyHandling bodies,
    ApiKeyAuthHandler apiKeys,
    IpAllowlistHandler allowlist,
    HealthRoutes health,
    OpenApiRoutes openApi,
    StatusListRoutes statusLists,
    BatchRoutes batches,
    CredentialRoutes credentials,
    LifecycleRoutes lifecycle,
    TenantRoutes tenants,
    IssuerRoutes issuer,
    VerifyRoutes verify,
    VcApiRoutes vcApi,
    WebhookRoutes webhooks,
    AdminRoutes admin,
    SigningKeyRoutes signingKeys,
    ConsoleRoutes console,
    FailureHandler failures) {

  public static Handlers create(Vertx vertx, Services s) {
    Issuance issuance = s.issuance();
    BatchStore batchStore = new BatchStore(s.pool(), s.tenants(), s.tenantKeys());
    CredentialStore credentialStore = new CredentialStore(s.pool(), s.idempotency());
    Issuers issuers = new Issuers(s.pool(), s.tenantKeys(), new DidWebDocuments(vertx,
        s.config().didWebAllowPrivateTargets(), s.config().didWebTrustPem()), issuance.signer(),
        s.tenants());
    // Shared by name: one pool of verify_threads for every HTTP verticle.
    WorkerExecutor verifyPool =
        vertx.createSharedWorkerExecutor("learncoin-verify", s.config().verifyThreads());
    Verifier verifier = new Verifier(vertx, verifyPool, s.pool(), issuance.proofs(), issuers,
        issuance.networks(), issuance.publicBaseUrl(), credentialStore);
    return new Handlers(s,
        new RequestIdHandler(s.audit(), s.clientAddress(), s.metrics()),
        new BodyHandling(s.config().bodyLimitBytes(), s.config().httpBodyTimeoutSeconds()),
        new ApiKeyAuthHandler(s.apiKeys()),
        new IpAllowlistHandler(),
        new HealthRoutes(s.pool(), dependencies(issuance), s.rateLimiter()),
        new OpenApiRoutes(),
        new StatusListRoutes(vertx, s.pool(), issuance.signer(), s.tenantKeys(),
            issuance.proofs(), issuance.publicBaseUrl()),
        new BatchRoutes(batchStore, vertx.eventBus(), issuance.signerBreaker(),
            issuance.networks()),
        new CredentialRoutes(credentialStore, batchStore),
        new LifecycleRoutes(credentialStore),
        new TenantRoutes(s.tenants()),
        new IssuerRoutes(issuers),
        new VerifyRoutes(verifier),
        new VcApiRoutes(verifier, new VcApiIssuance(vertx, batchStore, issuance, verifyPool),
            issuance.signerBreaker()),
        new WebhookRoutes(vertx, s.pool(), s.config().webhooksAllowPrivateTargets(),
            s.config().webhookMaxEndpointsPerTenant()),
        new AdminRoutes(s.tenants(), s.tenantKeys(), new ApiKeyRegistry(s.pool(), s.apiKeys()),
            s.audit(), s.adminJwt()),
        new SigningKeyRoutes(s.pool(), s.tenants(), s.tenantKeys()),
        new ConsoleRoutes(),
        new FailureHandler());
  }

  /** What readiness checks besides the database: the signer, and each chain. */
  private static Map<String, DependencyBreaker> dependencies(Issuance issuance) {
    Map<String, DependencyBreaker> dependencies = new LinkedHashMap<>();
    dependencies.put("signer", issuance.signerBreaker());
    issuance.networks().byName().values()
        .forEach(network -> dependencies.put("chain:" + network.name(), network.breaker()));
    return dependencies;
  }
}
