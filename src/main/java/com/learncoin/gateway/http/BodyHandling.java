package com.learncoin.gateway.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Request bodies, read only once a route has let the request in. {@link #hold} pauses every body
 * as its head arrives and judges what the head says (413 for a declared length over the limit,
 * 415 for a media type other than JSON); {@link #read} buffers it, and sits after authentication,
 * so an unauthenticated client never makes the server hold its body. A body nobody read is
 * discarded as it arrives once the answer is out, so the connection can carry the next request.
 * The whole body must arrive within the deadline of its head, or the connection is closed: the
 * idle timeout alone cannot do it, a body trickled a byte at a time is never idle.
 */
public final class BodyHandling {
  private final long maxBytes;
  private final long deadlineMillis;
  private final BodyHandler buffer;

  public BodyHandling(long maxBytes, int deadlineSeconds) {
    this.maxBytes = maxBytes;
    this.deadlineMillis = deadlineSeconds * 1_000L;
    this.buffer = BodyHandler.create(false).setBodyLimit(maxBytes);
  }

  /** First after the request id: nothing of the body is read until {@link #read} (or the answer). */
  public void hold(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!hasBody(request.method()) && !declaresBody(request)) {
      ctx.next();
      return;
    }
    request.pause();
    long timer = ctx.vertx().setTimer(deadlineMillis, t -> {
      if (!request.isEnded()) {
        request.connection().close(); // no status in the contract fits; a slow body just ends
      }
    });
    ctx.addEndHandler(answered -> {
      if (request.isEnded() || answered.failed()) {
        ctx.vertx().cancelTimer(timer);
      } else {
        request.resume(); // unread: dropped as it arrives (no data handler); the deadline holds
      }
    });
    if (contentLength(request) > maxBytes) {
      ctx.fail(413);
      return;
    }
    ctx.next();
  }

  /** Buffers the body up to the limit (413 past it); only methods with a body pay for it. */
  public void read(RoutingContext ctx) {
    if (hasBody(ctx.request().method())) {
      buffer.handle(ctx);
    } else {
      ctx.next();
    }
  }

  /** 415 for a body that is not JSON, judged by the head so the body need not be read. */
  public void requireJson(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (hasBody(request.method()) && declaresBody(request)
        && !isJson(request.getHeader("Content-Type"))) {
      ctx.fail(415);
      return;
    }
    ctx.next();
  }

  private static boolean hasBody(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
  }

  /** A non-empty Content-Length or any Transfer-Encoding (chunked: its length is unknown). */
  private static boolean declaresBody(HttpServerRequest request) {
    return contentLength(request) > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  /** The declared length; -1 when absent (Netty has already refused a malformed one). */
  private static long contentLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * {@code application/json}, with no parameter but an optional {@code charset=utf-8} (the only
   * encoding bodies are read in). {@code +json} types and other parameters promise semantics
   * (a patch, a problem report) or an encoding this API does not have, so they are refused.
   */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      int equals = parameter.indexOf('=');
      String value = equals < 0 ? "" : parameter.substring(equals + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (!parameter.isEmpty() && (equals < 0
          || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")
          || !value.equalsIgnoreCase("utf-8"))) {
        return false;
      }
    }
    return true;
  }
}
