package com.learncoin.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The only two ways a response body is written. Keeping the body in the context lets the
 * idempotency layer store exactly the bytes that were sent.
 */
public final class Responses {
  private Responses() {}

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, body.toBuffer());
  }

  public static void error(RoutingContext ctx, ApiError error, String message) {
    ctx.put(Ctx.ERROR_CODE, error.code());
    send(ctx, error.status(), envelope(error, message, ctx.get(Ctx.REQUEST_ID)));
  }

  public static Buffer envelope(ApiError error, String message, String requestId) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", error.code())
        .put("message", message)
        .put("request_id", requestId)).toBuffer();
  }

  public static void send(RoutingContext ctx, int status, Buffer body) {
    ctx.put(Ctx.RESPONSE_BODY, body);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body);
  }
}
