package com.learncoin.gateway.verification;

import com.learncoin.gateway.verification.VerifyRoutes;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** One check of {@code POST /v1/verify}: passed, failed or skipped, always with a reason. */
record VerifyCheck(String status, String reason) {
  static final String PASSED = "passed";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";

  static VerifyCheck passed(String reason) {
    return new VerifyCheck(PASSED, reason);
  }

  static VerifyCheck failed(String reason) {
    return new VerifyCheck(FAILED, reason);
  }

  static VerifyCheck skipped(String reason) {
    return new VerifyCheck(SKIPPED, reason);
  }

  JsonObject toJson() {
    return new JsonObject().put("status", status).put("reason", reason);
  }

  /** validFrom (or issuanceDate) not in the future; validUntil (or expirationDate) in it. */
  static VerifyCheck expiry(JsonObject credential, Instant now) {
    String fromField = credential.containsKey("validFrom") ? "validFrom" : "issuanceDate";
    String untilField = credential.containsKey("validUntil") ? "validUntil" : "expirationDate";
    Instant from;
    Instant until;
    try {
      from = date(credential, fromField);
      until = date(credential, untilField);
    } catch (IllegalArgumentException e) {
      return VerifyCheck.failed(e.getMessage());
    }
    if (from != null && from.isAfter(now)) {
      return VerifyCheck.failed("not yet valid: " + fromField + " is " + from);
    }
    if (until != null && !until.isAfter(now)) {
      return VerifyCheck.failed("expired: " + untilField + " is " + until);
    }
    return VerifyCheck.passed(until == null ? "valid from " + (from == null ? "any time" : from)
        + ", no expiry" : "valid until " + until);
  }

  private static Instant date(JsonObject credential, String field) {
    Object value = credential.getValue(field);
    if (value == null) {
      return null;
    }
    try {
      if (value instanceof String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException(field + " is not a date-time with offset: " + value);
  }
}
