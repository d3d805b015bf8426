package com.learncoin.gateway.audit;

import java.time.Instant;
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
    StringBuilder json = new StringBuilder(320).append("{\"ts\":\"");
    appendInstant(json, record.at());
    json.append("\",\"level\":\"INFO\",\"logger\":\"" + LOGGER + "\",\"message\":\"request\"");
    // Ids, route templates and error codes are the gateway's own ASCII: written as they are.
    field(json, "request_id", record.requestId());
    field(json, "tenant_id", record.tenantId());
    field(json, "key_id", record.keyId());
    escapedField(json, "method", record.method());
    field(json, "route", route);
    json.append(",\"status\":").append(record.status());
    field(json, "error_code", record.errorCode());
    return json.append(",\"latency_ms\":").append(record.latencyMs()).append('}').toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (value != null) {
      json.append(",\"").append(name).append("\":\"").append(value).append('"');
    }
  }

  /** The method is the client's token: escaped, so a line stays JSON whatever was sent. */
  private static void escapedField(StringBuilder json, String name, String value) {
    if (value == null) {
      return;
    }
    json.append(",\"").append(name).append("\":\"");
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

  /** The second's text, kept while requests arrive within it. */
  private record Second(long epochSecond, String text) {}

  private static volatile Second second = new Second(Long.MIN_VALUE, "");

  /**
   * {@code 2026-11-28T02:19:30.014605Z}: ISO-8601 UTC with microseconds. Formatting an Instant
   * costs a fifth of the line; the date and time of day change once a second.
   */
  static void appendInstant(StringBuilder json, Instant at) {
    Second current = second;
    if (current.epochSecond() != at.getEpochSecond()) {
      String text = Instant.ofEpochSecond(at.getEpochSecond()).toString();
      current = new Second(at.getEpochSecond(), text.substring(0, text.length() - 1));
      second = current;
    }
    int micros = at.getNano() / 1_000;
    json.append(current.text()).append('.');
    for (int digit = 100_000; digit > 0; digit /= 10) {
      json.append((char) ('0' + micros / digit % 10));
    }
    json.append('Z');
  }
}
