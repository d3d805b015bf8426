package com.learncoin.gateway.http;

import com.learncoin.gateway.audit.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@value #LOGGER} logger, from the audit record already gathered:
 * ids, route template, status, error code, latency. Never the raw path (it can name a learner's
 * credential), a body, a header or a key's secret.
 *
 * <p>The line is the finished JSON object, written as-is by its own appender (logback.xml): the
 * generic JSON encoder with key-value pairs cost a third of a read request's CPU.
 */
public final class AccessLog {
  static final String LOGGER = "learncoin.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AccessLog() {}

  public static void log(AuditRecord record, String route) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(record, route));
    }
  }

  static String line(AuditRecord record, String route) {
    StringBuilder json = new StringBuilder(320).append("{\"ts\":\"").append(record.at())
        .append("\",\"level\":\"INFO\",\"logger\":\"" + LOGGER + "\",\"message\":\"request\"");
    field(json, "request_id", record.requestId());
    field(json, "tenant_id", record.tenantId());
    field(json, "key_id", record.keyId());
    field(json, "method", record.method());
    field(json, "route", route);
    json.append(",\"status\":").append(record.status());
    field(json, "error_code", record.errorCode());
    return json.append(",\"latency_ms\":").append(record.latencyMs()).append('}').toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (value == null) {
      return;
    }
    json.append(",\"").append(name).append("\":\"");
    // Ids, methods, templates and codes are plain ASCII; escape anyway, a line must stay JSON.
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
