package com.learncoin.gateway.admin;

import com.learncoin.gateway.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;

/** {@code /admin/v1}: an HS256 JWT signed with the configured admin secret, or 401. */
final class AdminAuthHandler implements Handler<RoutingContext> {
  private final JWTAuth jwt;

  AdminAuthHandler(JWTAuth jwt) {
    this.jwt = jwt;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(invalid());
      return;
    }
    jwt.authenticate(new TokenCredentials(header.substring(7).trim()))
        .onSuccess(user -> ctx.next())
        .onFailure(e -> ctx.fail(invalid()));
  }

  private static RuntimeException invalid() {
    return ApiError.ADMIN_TOKEN_INVALID.exception("The admin API needs 'Authorization: Bearer "
        + "<JWT>' signed HS256 with LEARNCOIN_ADMIN_JWT_SECRET, unexpired.");
  }
}
