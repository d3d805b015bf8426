package com.learncoin.gateway.idempotency;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.auth.ApiKeySecrets;
import com.learncoin.gateway.db.ChangeFeed;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on POSTs (API.md §6): the first request with a key runs and its answer
 * is stored; a repeat is answered from the store, a different request under the same key is a 409,
 * and a repeat that arrives while the first still runs waits for the first's answer. Keys are
 * scoped by tenant and environment (a live key never replays a test key's answer).
 */
public final class IdempotencyHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyHandler.class);
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final long MAX_WAIT_MILLIS = 70_000;
  private static final long MAX_POLL_MILLIS = 500;

  private final Vertx vertx;
  private final IdempotencyStore store;
  // Answers already sent whose record is still being written: shutdown waits for them, or the
  // key would stay "in progress" and a client's retry would wait for the stale-claim takeover.
  private final Set<Future<Void>> saving = ConcurrentHashMap.newKeySet();

  public IdempotencyHandler(Vertx vertx, Pool pool, ChangeFeed changes) {
    this.vertx = vertx;
    this.store = new IdempotencyStore(pool, changes);
  }

  /** Completes once every record of an answer already sent is written (or failed to be). */
  public Future<Void> drain() {
    return Future.join(List.copyOf(saving)).otherwiseEmpty().mapEmpty();
  }

  /** After an erasure committed: this node drops the tenant's cached answers at once. */
  public void forgetTenant(String tenantId) {
    store.forgetTenant(tenantId);
  }

  /** Drops records older than 24 h; run by a periodic timer. */
  public Future<Integer> sweep() {
    return store.sweep();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || ctx.request().method() != HttpMethod.POST) {
      ctx.next();
      return;
    }
    if (!KEY.matcher(key).matches()) {
      ctx.fail(ApiError.INVALID_FIELD_FORMAT.exception(
          "Header Idempotency-Key must be 1 to 255 printable ASCII characters without spaces."));
      return;
    }
    ApiKey apiKey = ctx.get(Ctx.API_KEY);
    Buffer body = ctx.body().buffer();
    Fingerprint fp = new Fingerprint(ctx.request().method().name(), ctx.request().path(),
        ApiKeySecrets.sha256(body == null ? new byte[0] : body.getBytes()));
    Optional<StoredResponse> cached = store.cached(apiKey, key);
    if (cached.isPresent()) {
      answerFromStore(ctx, cached.get(), fp);
      return;
    }
    attempt(ctx, apiKey, key, fp, System.currentTimeMillis());
  }

  private void attempt(RoutingContext ctx, ApiKey apiKey, String key, Fingerprint fp, long since) {
    // The client is gone (its connection idled out while this request waited on another's
    // claim): stop waiting. Claiming now would hold the key for a request nobody can answer, and
    // every retry would wait out that claim in turn.
    if (ctx.response().closed()) {
      return;
    }
    // Finished meanwhile by a request of this node: its answer, without asking PostgreSQL.
    Optional<StoredResponse> finished = store.cached(apiKey, key);
    if (finished.isPresent()) {
      answerFromStore(ctx, finished.get(), fp);
      return;
    }
    store.claim(apiKey, key, fp).compose(claimed -> {
      if (claimed.isPresent()) {
        run(ctx, apiKey, key, fp, claimed.get());
        return Future.succeededFuture();
      }
      return store.find(apiKey, key).map(found -> {
        if (found.isPresent() && (found.get().status() != 0 || !found.get().fingerprint().matches(fp))) {
          answerFromStore(ctx, found.get(), fp);
        } else if (System.currentTimeMillis() - since > MAX_WAIT_MILLIS) {
          throw new IllegalStateException("idempotency key " + key + " stayed in progress");
        } else {
          // In progress elsewhere (or just released after a 5xx): look again shortly, less often
          // the longer it lasts: after a crash many retries wait on dead claims at once, and
          // polling each every 25 ms (two queries) took the pool from the requests doing work.
          long waited = System.currentTimeMillis() - since;
          vertx.setTimer(Math.min(MAX_POLL_MILLIS, Math.max(25, waited / 20)),
              t -> attempt(ctx, apiKey, key, fp, since));
        }
        return null;
      });
    }).onFailure(ctx::fail);
  }

  private void run(RoutingContext ctx, ApiKey apiKey, String key, Fingerprint fp,
      Instant claimedAt) {
    if (ctx.response().closed()) {
      // Gone while the claim was being taken: an end handler added now would never run.
      store.release(apiKey, key);
      return;
    }
    ctx.addEndHandler(ended -> {
      Buffer sent = ctx.get(Ctx.RESPONSE_BODY);
      HttpServerResponse response = ctx.response();
      Future<Void> saved = sent != null && response.getStatusCode() < 500
          ? store.complete(apiKey, key, new StoredResponse(fp, response.getStatusCode(),
              response.headers().get("Content-Type"), response.headers().get("Location"), sent,
              ctx.get(Ctx.REQUEST_ID), claimedAt), ctx.get(Ctx.ANSWER_MENTIONS))
          : store.release(apiKey, key);
      saving.add(saved);
      saved.onComplete(done -> saving.remove(saved))
          .onFailure(e -> LOG.warn("Idempotency record {} not saved: {}", key, e.getMessage()));
    });
    ctx.next();
  }

  private static void answerFromStore(RoutingContext ctx, StoredResponse stored, Fingerprint fp) {
    if (!stored.fingerprint().matches(fp)) {
      ctx.fail(ApiError.IDEMPOTENCY_KEY_REUSED.exception("Idempotency-Key was already used for "
          + stored.fingerprint().method() + " " + stored.fingerprint().path()
          + " with a different body; use a new key for a new request."));
      return;
    }
    HttpServerResponse response = ctx.response()
        .setStatusCode(stored.status())
        .putHeader("Idempotent-Replayed", "true");
    if (stored.contentType() != null) {
      response.putHeader("Content-Type", stored.contentType());
    }
    if (stored.location() != null) {
      response.putHeader("Location", stored.location());
    }
    if (stored.requestId() != null) {
      // The replayed body names the original request; the header must agree with it.
      response.putHeader("X-Request-Id", stored.requestId());
    }
    response.end(stored.body());
  }
}
