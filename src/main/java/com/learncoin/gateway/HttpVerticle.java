package com.learncoin.gateway;

import com.learncoin.gateway.audit.AccessLog;
import com.learncoin.gateway.audit.AuditRecord;
import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.ConnectionLimits;
import com.learncoin.gateway.http.HeadDeadline;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.http.RouteTemplates;
import com.learncoin.gateway.http.StrictFraming;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** One HTTP server per event loop, all sharing the port and the {@link Services}. */
final class HttpVerticle extends VerticleBase {
  private static final long SHUTDOWN_GRACE_SECONDS = 20;

  private final Services services;
  private final int port;
  private final ConnectionLimits limits;
  private HttpServer server;

  /** {@code limits} is the node's, shared by all its HTTP verticles. */
  HttpVerticle(Services services, int port, ConnectionLimits limits) {
    this.services = services;
    this.port = port;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost("0.0.0.0")
        .setPort(port)
        .setIdleTimeout(services.config().httpIdleTimeoutSeconds())
        .setHttp2ClearTextEnabled(false)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024);
    HeadDeadline deadline = new HeadDeadline(vertx, services.config().httpHeaderTimeoutSeconds());
    Router router = ApiRouter.create(vertx, Handlers.create(vertx, services));
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          boolean admitted = limits.admit(connection);
          connection.closeHandler(v -> {
            limits.closed(connection);
            deadline.closed(connection);
          });
          if (!admitted) {
            connection.close(); // over a connection cap: nothing of it is read
          } else if (StrictFraming.install(connection, options)) {
            deadline.opened(connection);
          }
        })
        .invalidRequestHandler(request -> {
          deadline.arrived(request);
          invalidRequest(request);
        })
        .requestHandler(request -> {
          deadline.arrived(request);
          router.handle(request);
        });
    return server.listen();
  }

  /** Finishes in-flight requests, refusing new ones, before the verticle goes. */
  @Override
  public Future<?> stop() {
    return server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  int actualPort() {
    return server.actualPort();
  }

  /** Requests Netty could not decode never reach the router; they get the envelope too. */
  private void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiError error = cause instanceof TooLongFrameException
        ? ApiError.PAYLOAD_TOO_LARGE : ApiError.INVALID_FIELD_FORMAT;
    String message = error == ApiError.PAYLOAD_TOO_LARGE
        ? "The request line or headers are larger than this server accepts."
        : cause != null && StrictFraming.CONFLICT.equals(cause.getMessage())
        ? "The HTTP request is malformed: " + StrictFraming.CONFLICT + " (RFC 9112 §6.3)."
        : "The HTTP request is malformed.";
    String requestId = Ids.ulid("req_");
    AuditRecord record = new AuditRecord(requestId, Instant.now(), null, null,
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        "INVALID", "-", error.status(), error.code(), 0, null);
    services.audit().record(record);
    AccessLog.log(record, RouteTemplates.UNMATCHED);
    services.metrics().request(RouteTemplates.UNMATCHED, null, error.status(), 0);
    request.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Request-Id", requestId)
        .putHeader("Connection", "close")
        // Netty skips whatever follows an invalid head, so the connection is of no further use.
        .end(Responses.envelope(error, message, requestId))
        .onComplete(v -> request.connection().close());
  }
}
