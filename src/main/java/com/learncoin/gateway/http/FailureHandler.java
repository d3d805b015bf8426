package com.learncoin.gateway.http;

import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.db.DatabaseErrors;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a response: API errors, Vert.x's own HTTP errors (unmatched
 * route, wrong method, body too large) and anything unexpected, which is logged and never leaked.
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  /** For {@code router.errorHandler(status, ...)}: Vert.x does not always set the status. */
  public Handler<RoutingContext> forStatus(int status) {
    return ctx -> render(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : status);
  }

  @Override
  public void handle(RoutingContext ctx) {
    render(ctx, ctx.statusCode());
  }

  private void render(RoutingContext ctx, int status) {
    ensureRequestId(ctx);
    Throwable failure = ctx.failure();
    ApiError error;
    String message;
    if (failure instanceof ApiException api) {
      error = api.error();
      message = api.getMessage();
    } else if (failure instanceof HttpException http) {
      error = errorFor(http.getStatusCode());
      message = messageFor(error, ctx);
    } else if (failure == null || (status >= 400 && status < 500)) {
      // Vert.x's own rejections (bad Host, malformed URI) carry their 4xx with the exception.
      error = errorFor(status);
      message = messageFor(error, ctx);
    } else if (DatabaseErrors.isUnavailable(failure)) {
      // An outage answers every request this way: one line each, not a stack trace each.
      LOG.warn("Request {} {} {} failed: PostgreSQL unavailable ({})", ctx.get(Ctx.REQUEST_ID),
          ctx.request().method(), ctx.request().path(), failure.toString());
      error = ApiError.INTERNAL_ERROR;
      message = messageFor(error, ctx);
    } else {
      LOG.error("Unhandled failure of request {} {} {}", ctx.get(Ctx.REQUEST_ID),
          ctx.request().method(), ctx.request().path(), failure);
      error = ApiError.INTERNAL_ERROR;
      message = messageFor(error, ctx);
    }
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Responses.error(ctx, error, message);
  }

  /** Requests Vert.x rejects before the chain starts still get an id, in body and header. */
  private static void ensureRequestId(RoutingContext ctx) {
    if (ctx.get(Ctx.REQUEST_ID) == null) {
      String requestId = Ids.ulid("req_");
      ctx.put(Ctx.REQUEST_ID, requestId);
      if (!ctx.response().headWritten()) {
        ctx.response().putHeader("X-Request-Id", requestId);
      }
    }
  }

  private static ApiError errorFor(int status) {
    return switch (status) {
      case 400 -> ApiError.INVALID_FIELD_FORMAT;
      case 401 -> ApiError.API_KEY_INVALID;
      case 404 -> ApiError.ROUTE_NOT_FOUND;
      case 405 -> ApiError.METHOD_NOT_ALLOWED;
      case 413, 414, 431 -> ApiError.PAYLOAD_TOO_LARGE;
      case 415 -> ApiError.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> ApiError.SERVICE_UNAVAILABLE;
      default -> status >= 400 && status < 500 ? ApiError.INVALID_FIELD_FORMAT
          : ApiError.INTERNAL_ERROR;
    };
  }

  private static String messageFor(ApiError error, RoutingContext ctx) {
    return switch (error) {
      case ROUTE_NOT_FOUND -> "No route " + ctx.request().path() + "; see /openapi.yaml.";
      case METHOD_NOT_ALLOWED -> "Method " + ctx.request().method() + " is not allowed on "
          + ctx.request().path() + ".";
      case PAYLOAD_TOO_LARGE -> "The request body is larger than this server accepts.";
      case UNSUPPORTED_MEDIA_TYPE -> "Request bodies must be sent as Content-Type: application/json.";
      case SERVICE_UNAVAILABLE -> "The service is not ready.";
      case INTERNAL_ERROR -> "An internal error occurred; nothing was committed. Retry with the "
          + "same Idempotency-Key, and quote " + ctx.get(Ctx.REQUEST_ID) + " if it persists.";
      case INVALID_FIELD_FORMAT -> "The request is malformed (path, query string or headers).";
      default -> "The request is malformed.";
    };
  }
}
