package com.learncoin.gateway.admin;

import com.learncoin.gateway.http.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The admin console: three static files bundled under {@code /console/} in the jar, read once when
 * the router is built (like the OpenAPI document), so serving them never touches the disk. The
 * page holds no secret; it calls the admin API with the token the operator pastes.
 */
public final class ConsoleRoutes {
  /**
   * Only the bundled script and style may run or apply; no inline code, no framing, no referrer.
   * form-action 'none': should the script fail, a form can never submit its fields into a URL.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; "
      + "form-action 'none'; frame-ancestors 'none'";

  private static final String PREFIX = "/console/";

  private final Buffer page;
  private final Map<String, Asset> assets;

  private record Asset(String contentType, Buffer body) {}

  public ConsoleRoutes() {
    page = read("index.html");
    assets = Map.of(
        "console.js", new Asset("text/javascript; charset=utf-8", read("console.js")),
        "console.css", new Asset("text/css; charset=utf-8", read("console.css")),
        "favicon.svg", new Asset("image/svg+xml", read("favicon.svg")));
  }

  /** {@code GET /console}: the page. */
  public void page(RoutingContext ctx) {
    send(ctx, "text/html; charset=utf-8", page);
  }

  /** {@code GET /console/*}: the page's script and style; anything else is route_not_found. */
  public void asset(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    Asset asset = path.startsWith(PREFIX) ? assets.get(path.substring(PREFIX.length())) : null;
    if (asset == null) {
      throw ApiError.ROUTE_NOT_FOUND.exception("No console file " + path + ".");
    }
    send(ctx, asset.contentType(), asset.body());
  }

  private static void send(RoutingContext ctx, String contentType, Buffer body) {
    HttpServerResponse response = ctx.response();
    response.headers()
        .set("Content-Type", contentType)
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY")
        .set("Cache-Control", "no-cache");
    response.setStatusCode(200).end(body);
  }

  private static Buffer read(String name) {
    String resource = PREFIX + name;
    try (InputStream in = ConsoleRoutes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
