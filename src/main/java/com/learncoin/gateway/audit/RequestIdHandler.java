package com.learncoin.gateway.audit;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.common.Ids;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.RouteTemplates;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.net.ClientAddress;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in the chain: gives every request its {@code req_} id and {@code X-Request-Id}, and, as
 * the response head is written, hands the request's audit record to the audit log, the access
 * log and the request metrics.
 */
public final class RequestIdHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestIdHandler.class);
  private static final int MAX_TEXT = 512;

  private final AuditLog audit;
  private final ClientAddress clientAddress;
  private final Metrics metrics;
  private final RouteTemplates routes = new RouteTemplates();

  public RequestIdHandler(AuditLog audit, ClientAddress clientAddress, Metrics metrics) {
    this.audit = audit;
    this.clientAddress = clientAddress;
    this.metrics = metrics;
  }

  /** What the request-scoped route labels are matched against; set once the router is built. */
  public RouteTemplates routes() {
    return routes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String requestId = Ids.ulid("req_");
    long started = System.nanoTime();
    Instant at = Instant.now();
    ctx.put(Ctx.REQUEST_ID, requestId);
    ctx.put(Ctx.STARTED_NANOS, started);
    ctx.put(Ctx.CLIENT_IP, clientAddress.of(ctx.request()));
    ctx.response().putHeader("X-Request-Id", requestId);
    ctx.addHeadersEndHandler(v -> {
      try {
        finished(ctx, requestId, at, started);
      } catch (RuntimeException e) {
        // Bookkeeping must never cost the client its response.
        LOG.error("Request {} not recorded", requestId, e);
      }
    });
    ctx.next();
  }

  private void finished(RoutingContext ctx, String requestId, Instant at, long started) {
    AuditRecord record = record(ctx, requestId, at, started);
    audit.record(record);
    String route = routes.of(ctx);
    AccessLog.log(record, route);
    HttpMethod method = ctx.request().method();
    metrics.request(route, method, record.status(), System.nanoTime() - started);
    if (ApiError.RATE_LIMITED.code().equals(record.errorCode())) {
      ApiKey key = ctx.get(Ctx.API_KEY);
      metrics.rateLimited(key == null ? "none" : key.plan().id());
    } else if (method == HttpMethod.POST
        && ctx.response().headers().contains("Idempotent-Replayed")) {
      metrics.idempotentReplay();
    }
  }

  private static AuditRecord record(RoutingContext ctx, String requestId, Instant at, long started) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    int latencyMs = (int) ((System.nanoTime() - started) / 1_000_000);
    return new AuditRecord(requestId, at,
        key == null ? null : key.tenantId(),
        key == null ? null : key.id(),
        ctx.get(Ctx.CLIENT_IP),
        clean(ctx.request().method().name()),
        clean(ctx.request().path()),
        ctx.response().getStatusCode(),
        ctx.get(Ctx.ERROR_CODE),
        latencyMs,
        clean(ctx.request().getHeader("Idempotency-Key")));
  }

  /** Client-supplied text goes into the log bounded and free of control characters. */
  static String clean(String text) {
    if (text == null) {
      return null;
    }
    int length = Math.min(text.length(), MAX_TEXT);
    int first = 0;
    while (first < length && !Character.isISOControl(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text; // the usual case: nothing to bound or replace, no copy
    }
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      chars[i] = Character.isISOControl(c) ? '?' : c;
    }
    return new String(chars);
  }
}
