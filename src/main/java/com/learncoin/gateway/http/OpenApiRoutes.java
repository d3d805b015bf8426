package com.learncoin.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the hand-written OpenAPI document bundled in the jar, read once when
 * the router is built, so a missing or unreadable document stops start-up instead of a request.
 */
public final class OpenApiRoutes {
  static final String RESOURCE = "/openapi.yaml";

  private final Buffer document;

  public OpenApiRoutes() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      this.document = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public void get(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "application/yaml")
        .end(document);
  }
}
