package com.learncoin.gateway.admin;

import com.learncoin.gateway.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code /admin/v1} and {@code /metrics}: an HS256 JWT signed with the configured admin secret,
 * unexpired, whose numeric {@code exp} is at most {@link AdminTokens#MAX_VALIDITY} ahead; or 401.
 */
final class AdminAuthHandler implements Handler<RoutingContext> {
  /** Clock skew allowed between the host that minted a token and this one. */
  private static final long SKEW_SECONDS = 60;

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
    String token = header.substring(7).trim();
    Future<User> user;
    try {
      user = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt throws (not fails) on a non-numeric exp, iat or nbf: a bad token anyway
      ctx.fail(invalid());
      return;
    }
    user.onSuccess(u -> {
      if (boundedExpiry(token)) {
        ctx.next();
      } else {
        ctx.fail(invalid());
      }
    }).onFailure(e -> ctx.fail(invalid()));
  }

  /**
   * The verified token's {@code exp} is a number no further ahead than the maximum: a leaked token
   * without one, or minted for years, would otherwise open the admin API for good.
   */
  static boolean boundedExpiry(String token) {
    try {
      String payload = token.split("\\.", -1)[1];
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(payload),
          StandardCharsets.UTF_8));
      return claims.getValue("exp") instanceof Number exp
          && exp.doubleValue() <= System.currentTimeMillis() / 1000.0
              + AdminTokens.MAX_VALIDITY.toSeconds() + SKEW_SECONDS;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static RuntimeException invalid() {
    return ApiError.ADMIN_TOKEN_INVALID.exception("The admin API needs 'Authorization: Bearer "
        + "<JWT>' signed HS256 with LEARNCOIN_ADMIN_JWT_SECRET, unexpired, with an exp at most "
        + AdminTokens.MAX_VALIDITY.toHours() + " h ahead.");
  }
}
