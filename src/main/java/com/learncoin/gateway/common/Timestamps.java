package com.learncoin.gateway.common;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** Timestamps in responses: RFC 3339, UTC, millisecond precision. */
public final class Timestamps {
  private Timestamps() {}

  public static String rfc3339(OffsetDateTime time) {
    return time == null ? null : time.toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
