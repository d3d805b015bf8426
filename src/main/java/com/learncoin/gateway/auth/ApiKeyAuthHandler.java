package com.learncoin.gateway.auth;

import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code Authorization: Bearer lrn_...}: the four 401s of API.md §2, in the order a client meets them. */
public final class ApiKeyAuthHandler implements Handler<RoutingContext> {
  private final ApiKeyStore keys;

  public ApiKeyAuthHandler(ApiKeyStore keys) {
    this.keys = keys;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.isBlank()) {
      ctx.fail(ApiError.API_KEY_MISSING.exception(
          "No API key: send it as 'Authorization: Bearer lrn_test_...'."));
      return;
    }
    String key = bearer(header);
    if (!ApiKeySecrets.isWellFormed(key)) {
      ctx.fail(ApiError.API_KEY_INVALID.exception("The Authorization header must be 'Bearer "
          + "lrn_test_<32 base62>' or 'Bearer lrn_live_<32 base62>'."));
      return;
    }
    keys.find(key).onFailure(ctx::fail).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(ApiError.API_KEY_INVALID.exception("Unknown API key ending in "
            + key.substring(key.length() - 4) + "."));
      } else if (found.get().revoked()) {
        ctx.fail(ApiError.API_KEY_REVOKED.exception("API key " + found.get().id()
            + " was revoked; create a new one."));
      } else {
        ctx.put(Ctx.API_KEY, found.get());
        ctx.next();
      }
    });
  }

  private static String bearer(String header) {
    String trimmed = header.trim();
    if (trimmed.length() < 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return trimmed.substring(7).trim();
  }
}
