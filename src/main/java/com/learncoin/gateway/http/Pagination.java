package com.learncoin.gateway.http;

/** The list parameters every paginated route shares: {@code limit} 1..100, default 20. */
public final class Pagination {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  private Pagination() {}

  /** The {@code limit} query parameter, or 400 invalid_field_format naming it. */
  public static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.INVALID_FIELD_FORMAT.exception("limit must be an integer from 1 to " + MAX_LIMIT
        + ".");
  }
}
