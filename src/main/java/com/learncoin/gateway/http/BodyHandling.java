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

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json") || type.toLowerCase().endsWith("+json");
  }
}
