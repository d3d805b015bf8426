package com.learncoin.gateway.verification;

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

  /**
   * validFrom (or issuanceDate) not in the future, validUntil (or expirationDate) in it, read from
   * the signed statements; with several values the strictest counts.
   */
  static VerifyCheck expiry(SignedClaims claims, Instant now) {
    if (claims.problem() != null) {
      return VerifyCheck.failed(claims.problem());
    }
    SignedClaims.Dated from = null;
    SignedClaims.Dated until = null;
    Instant fromAt = null;
    Instant untilAt = null;
    try {
      for (SignedClaims.Dated dated : claims.validFrom()) {
        Instant at = instant(dated);
        if (fromAt == null || at.isAfter(fromAt)) {
          from = dated;
          fromAt = at;
        }
      }
      for (SignedClaims.Dated dated : claims.validUntil()) {
        Instant at = instant(dated);
        if (untilAt == null || at.isBefore(untilAt)) {
          until = dated;
          untilAt = at;
        }
      }
    } catch (IllegalArgumentException e) {
      return VerifyCheck.failed(e.getMessage());
    }
    if (fromAt != null && fromAt.isAfter(now)) {
      return VerifyCheck.failed("not yet valid: " + from.field() + " is " + fromAt);
    }
    if (untilAt != null && !untilAt.isAfter(now)) {
      return VerifyCheck.failed("expired: " + until.field() + " is " + untilAt);
    }
    return VerifyCheck.passed(untilAt == null ? "valid from "
        + (fromAt == null ? "any time" : fromAt) + ", no expiry" : "valid until " + untilAt);
  }

  private static Instant instant(SignedClaims.Dated dated) {
    try {
      return OffsetDateTime.parse(dated.value(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(dated.field() + " is not a date-time with offset: "
          + dated.value());
    }
  }
}
