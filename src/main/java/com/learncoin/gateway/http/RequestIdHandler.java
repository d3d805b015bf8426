package com.learncoin.gateway.http;

import com.learncoin.gateway.audit.AuditLog;
import com.learncoin.gateway.audit.AuditRecord;
import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.auth.ClientAddress;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * First in the chain: gives every request its {@code req_} id and {@code X-Request-Id}, and, as
 * the response head is written, hands the request's audit record to the audit log.
 */
public final class RequestIdHandler implements Handler<RoutingContext> {
  private static final int MAX_TEXT = 512;

  private final AuditLog audit;
  private final ClientAddress clientAddress;

  public RequestIdHandler(AuditLog audit, ClientAddress clientAddress) {
    this.audit = audit;
    this.clientAddress = clientAddress;
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
    ctx.addHeadersEndHandler(v -> audit.record(record(ctx, requestId, at, started)));
    ctx.next();
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
  private static String clean(String text) {
    if (text == null) {
      return null;
    }
    int length = Math.min(text.length(), MAX_TEXT);
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      chars[i] = Character.isISOControl(c) ? '?' : c;
    }
    return new String(chars);
  }
}
