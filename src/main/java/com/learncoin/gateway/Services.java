package com.learncoin.gateway;

import com.learncoin.gateway.audit.AuditLog;
import com.learncoin.gateway.auth.ApiKeyStore;
import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.idempotency.IdempotencyHandler;
import com.learncoin.gateway.identity.TenantKeys;
import com.learncoin.gateway.issuance.Issuance;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.net.ClientAddress;
import com.learncoin.gateway.ratelimit.RateLimiter;
import com.learncoin.gateway.tenant.TenantStore;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.sqlclient.Pool;

/** What the HTTP layer shares across event loops; built once by {@link Gateway}. */
public record Services(
    Config config,
    Pool pool,
    ChangeFeed changes,
    ApiKeyStore apiKeys,
    TenantStore tenants,
    TenantKeys tenantKeys,
    RateLimiter rateLimiter,
    IdempotencyHandler idempotency,
    AuditLog audit,
    JWTAuth adminJwt,
    ClientAddress clientAddress,
    Issuance issuance,
    Metrics metrics) {}
