package com.learncoin.gateway.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One request as the audit log keeps it: who, from where, what, and how it ended. No bodies. */
public record AuditRecord(
    String requestId,
    Instant at,
    String tenantId,
    String keyId,
    String clientIp,
    String method,
    String path,
    int status,
    String errorCode,
    int latencyMs,
    String idempotencyKey) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("object", "audit_record")
        .put("request_id", requestId)
        .put("at", at.toString())
        .put("tenant_id", tenantId)
        .put("key_id", keyId)
        .put("client_ip", clientIp)
        .put("method", method)
        .put("path", path)
        .put("status", status)
        .put("error_code", errorCode)
        .put("latency_ms", latencyMs)
        .put("idempotency_key", idempotencyKey);
  }
}
