package com.learncoin.gateway.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Paths and query strings that no route can mean: control characters (a {@code %00} id would
 * reach SQL) or malformed percent-escapes. Answered here, before any handler reads them.
 */
public final class RequestSanity {
  private RequestSanity() {}

  public static void check(RoutingContext ctx) {
    String raw = ctx.request().path();
    if (raw == null) {
      ctx.fail(ApiError.ROUTE_NOT_FOUND.exception("No route for this path; see /openapi.yaml."));
      return;
    }
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (low < 0) {
        ctx.fail(ApiError.INVALID_FIELD_FORMAT.exception("The path has a malformed "
            + "percent-escape."));
        return;
      }
      int decoded = high * 16 + low;
      if (decoded < 0x20 || decoded == 0x7F) {
        ctx.fail(ApiError.ROUTE_NOT_FOUND.exception("No route for this path; see /openapi.yaml."));
        return;
      }
    }
    if (hasControl(ctx.normalizedPath())) {
      ctx.fail(ApiError.ROUTE_NOT_FOUND.exception("No route for this path; see /openapi.yaml."));
      return;
    }
    try {
      for (Map.Entry<String, String> param : ctx.queryParams()) {
        if (hasControl(param.getKey()) || hasControl(param.getValue())) {
          ctx.fail(ApiError.INVALID_FIELD_FORMAT.exception("Query parameter "
              + printable(param.getKey()) + " contains control characters."));
          return;
        }
      }
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiError.INVALID_FIELD_FORMAT.exception("The query string is not valid "
          + "percent-encoded UTF-8."));
      return;
    }
    ctx.next();
  }

  private static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String printable(String text) {
    String shown = text.replaceAll("\\p{Cntrl}", "?");
    return shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
  }
}
