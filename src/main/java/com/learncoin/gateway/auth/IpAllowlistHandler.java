package com.learncoin.gateway.auth;

import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.net.Cidr;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** A key with an allowlist answers only to clients inside it (API.md §2). */
public final class IpAllowlistHandler implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    if (key.ipAllowlist().isEmpty()) {
      ctx.next();
      return;
    }
    String clientIp = ctx.get(Ctx.CLIENT_IP);
    Optional<byte[]> address = Cidr.literal(clientIp);
    if (address.isPresent() && key.ipAllowlist().stream().anyMatch(c -> c.contains(address.get()))) {
      ctx.next();
      return;
    }
    ctx.fail(ApiError.IP_NOT_ALLOWED.exception("Requests from " + clientIp + " are not allowed for "
        + "API key " + key.id() + ". Add the source IP to the key's allowlist in the admin console."));
  }
}
