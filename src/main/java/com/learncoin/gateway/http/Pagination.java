package com.learncoin.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** The list parameters and envelope every paginated route shares: {@code limit} 1..100, default 20. */
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

  /** Ids are ULIDs, so "after this id" is a plain comparison; "" is before every id. */
  public static String cursor(String raw) {
    return raw == null ? "" : raw;
  }

  /**
   * {@code {"object": "list", "data", "has_more"}} from rows fetched with limit + 1, so one more
   * row than asked for means "has_more".
   */
  public static <T> JsonObject page(Iterable<T> rows, int limit, Function<T, JsonObject> toJson) {
    JsonArray data = new JsonArray();
    boolean hasMore = false;
    for (T row : rows) {
      if (data.size() < limit) {
        data.add(toJson.apply(row));
      } else {
        hasMore = true;
      }
    }
    return new JsonObject().put("object", "list").put("data", data).put("has_more", hasMore);
  }
}
