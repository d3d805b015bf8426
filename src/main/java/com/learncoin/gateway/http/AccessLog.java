package com.learncoin.gateway.http;

import com.learncoin.gateway.audit.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@value #LOGGER} logger, from the audit record already gathered:
 * ids, route template, status, error code, latency. Never the raw path (it can name a learner's
 * credential), a body, a header or a key's secret.
 */
public final class AccessLog {
  static final String LOGGER = "learncoin.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AccessLog() {}

  public static void log(AuditRecord record, String route) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.atInfo()
        .addKeyValue("request_id", record.requestId())
        .addKeyValue("tenant_id", record.tenantId())
        .addKeyValue("key_id", record.keyId())
        .addKeyValue("method", record.method())
        .addKeyValue("route", route)
        .addKeyValue("status", record.status())
        .addKeyValue("error_code", record.errorCode())
        .addKeyValue("latency_ms", record.latencyMs())
        .log("request");
  }
}
