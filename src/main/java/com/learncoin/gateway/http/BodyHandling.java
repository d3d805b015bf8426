package com.learncoin.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** The body limit (413 past it) and the one media type accepted for bodies (415 otherwise). */
public final class BodyHandling {
  private BodyHandling() {}

  /** Buffers the body up to {@code maxBytes} (413 past it); only methods with a body pay for it. */
  public static Handler<RoutingContext> limit(long maxBytes) {
    BodyHandler buffer = BodyHandler.create(false).setBodyLimit(maxBytes);
    return ctx -> {
      if (hasBody(ctx.request().method())) {
        buffer.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  private static boolean hasBody(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
  }

  public static void requireJson(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (hasBody(method) && ctx.body().length() > 0
        && !isJson(ctx.request().getHeader("Content-Type"))) {
      ctx.fail(415);
      return;
    }
    ctx.next();
  }

  /**
   * {@code application/json}, with no parameter but an optional {@code charset=utf-8} (the only
   * encoding bodies are read in). {@code +json} types and other parameters promise semantics
   * (a patch, a problem report) or an encoding this API does not have, so they are refused.
   */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      int equals = parameter.indexOf('=');
      String value = equals < 0 ? "" : parameter.substring(equals + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (!parameter.isEmpty() && (equals < 0
          || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")
          || !value.equalsIgnoreCase("utf-8"))) {
        return false;
      }
    }
    return true;
  }
}
