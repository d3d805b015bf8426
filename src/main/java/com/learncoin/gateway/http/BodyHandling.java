package com.learncoin.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** The body limit (413 past it) and the one media type accepted for bodies (415 otherwise). */
public final class BodyHandling {
  private BodyHandling() {}

  public static Handler<RoutingContext> limit(long maxBytes) {
    return BodyHandler.create(false).setBodyLimit(maxBytes);
  }

  public static void requireJson(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    boolean hasBody = ctx.body().length() > 0;
    if (hasBody && (method == HttpMethod.POST || method == HttpMethod.PUT
        || method == HttpMethod.PATCH) && !isJson(ctx.request().getHeader("Content-Type"))) {
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
