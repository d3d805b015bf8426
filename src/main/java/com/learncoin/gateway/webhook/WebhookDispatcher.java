package com.learncoin.gateway.webhook;

import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.metrics.Metrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: leases due deliveries from PostgreSQL (SKIP LOCKED, so every node may run
 * one), POSTs each as a Standard Webhooks message with a 10 s timeout, and records the attempt.
 * 2xx is done; 410 disables the endpoint; anything else is retried with exponential backoff and
 * jitter (base × 2^n, capped at base × 3240) for {@value #MAX_ATTEMPTS} attempts, about a day
 * with the default 5 s base (5 s, 10 s, ... 2.8 h, then 4.5 h apart). Everything lives in the database, so deliveries survive restarts.
 */
public final class WebhookDispatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final int MAX_ATTEMPTS = 17;
  static final int CAP_FACTOR = 3240;
  private static final long TIMEOUT_MILLIS = 10_000;
  private static final long TICK_MILLIS = 200;
  /** Attempts one node has under way at most. */
  private static final int IN_FLIGHT = 16;
  private static final int MAX_ERROR = 500;

  private final Pool pool;
  private final boolean allowPrivateTargets;
  private final long retryBaseMillis;
  /** Attempts one tenant may have under way at once, across all nodes. */
  private final int tenantConcurrency;
  private final Metrics metrics;
  private WebhookUrls urls;
  private HttpClient client;
  private long timer;
  /** Event-loop state (this verticle's): a claim query under way, attempts under way. */
  private boolean claiming;
  private int inFlight;
  private boolean stopping;
  private final Promise<Void> idle = Promise.promise();

  public WebhookDispatcher(Pool pool, boolean allowPrivateTargets, long retryBaseMillis,
      int tenantConcurrency, Metrics metrics) {
    this.pool = pool;
    this.allowPrivateTargets = allowPrivateTargets;
    this.retryBaseMillis = retryBaseMillis;
    this.tenantConcurrency = tenantConcurrency;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    urls = new WebhookUrls(vertx, allowPrivateTargets);
    // A connection for every attempt of a claim, even when all go to one host: with the default
    // pool (5 per host) the rest queued behind slow receivers and "timed out" without being sent.
    client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) TIMEOUT_MILLIS).setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    timer = vertx.setPeriodic(TICK_MILLIS, id -> drain());
    return Future.succeededFuture();
  }

  /** Lets attempts under way finish (each is bounded by the timeout), so none stays leased. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    settleIfIdle();
    return idle.future().eventually(() -> client.close());
  }

  /**
   * Claims as many due deliveries as there are free places and attempts each at once; a place is
   * given back as its attempt ends, so a receiver that never answers holds one place for up to
   * 10 s instead of holding up every other delivery, and a tenant holds at most
   * {@code tenantConcurrency} places (see {@link WebhookSql#CLAIM}).
   */
  private void drain() {
    int free = IN_FLIGHT - inFlight;
    if (claiming || stopping || free <= 0) {
      return;
    }
    claiming = true;
    pool.withTransaction(tx -> tx.query(WebhookSql.CLAIM_LOCK).execute()
        .compose(locked -> tx.preparedQuery(WebhookSql.CLAIM)
            .execute(Tuple.of(free, tenantConcurrency)))).onComplete(claimed -> {
      claiming = false;
      if (claimed.failed()) {
        LOG.warn("Webhook queue unavailable: {}", claimed.cause().getMessage());
      } else {
        claimed.result().forEach(row -> {
          inFlight++;
          attempt(row).onComplete(done -> {
            inFlight--;
            drain();
            settleIfIdle();
          });
        });
        if (claimed.result().size() == free) {
          drain(); // there may be more due right now
        }
      }
      settleIfIdle();
    });
  }

  private void settleIfIdle() {
    if (stopping && !claiming && inFlight == 0) {
      idle.tryComplete();
    }
  }

  private Future<Void> attempt(Row delivery) {
    JsonObject message = new JsonObject()
        .put("type", delivery.getString("type"))
        .put("timestamp", Timestamps.rfc3339(delivery.getOffsetDateTime("created_at")))
        .put("data", delivery.getJsonObject("payload"));
    String body = message.encode();
    String eventId = delivery.getString("event_id");
    long timestamp = Instant.now().getEpochSecond();
    String signature = Signatures.sign(delivery.getString("secret"), eventId, timestamp, body);
    String url = delivery.getString("url");
    Instant started = Instant.now();
    URI target = URI.create(url);
    Future<Integer> status = urls.resolve(target)
        .compose(address -> client.request(new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(url)
            .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port(target))))
            .setConnectTimeout(TIMEOUT_MILLIS)
            .setIdleTimeout(TIMEOUT_MILLIS)
            .setFollowRedirects(false)
            .putHeader("Content-Type", "application/json")
            .putHeader("User-Agent", "LearnCoin-Webhooks/1")
            .putHeader("webhook-id", eventId)
            .putHeader("webhook-timestamp", Long.toString(timestamp))
            .putHeader("webhook-signature", signature)))
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(response -> response.end().map(v -> response.statusCode()))
        .timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    return status.transform(outcome -> record(delivery, outcome, started))
        .onFailure(e -> LOG.warn("Webhook delivery {} not recorded: {}",
            delivery.getString("id"), e.getMessage()));
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private Future<Void> record(Row delivery, AsyncResult<Integer> outcome, Instant started) {
    String id = delivery.getString("id");
    Integer code = outcome.succeeded() ? outcome.result() : null;
    String error = outcome.succeeded() ? (code >= 200 && code < 300 ? null : "HTTP " + code)
        : describe(outcome.cause());
    JsonArray entry = new JsonArray().add(new JsonObject()
        .put("attempted_at", started.toString())
        .put("status_code", code)
        .put("error", error)
        .put("duration_ms", Instant.now().toEpochMilli() - started.toEpochMilli()));
    if (code != null && code >= 200 && code < 300) {
      delivered(delivery, "success", code, null);
      return pool.preparedQuery(WebhookSql.SUCCEEDED).execute(Tuple.of(id, code, entry)).mapEmpty();
    }
    if (code != null && code == 410) {
      delivered(delivery, "disabled", code, error);
      return pool.withTransaction(tx -> tx.preparedQuery(WebhookSql.GONE)
          .execute(Tuple.of(id, entry, "HTTP 410: endpoint disabled"))
          .compose(v -> tx.preparedQuery(WebhookSql.DISABLE_ENDPOINT)
              .execute(Tuple.of(delivery.getString("endpoint_id"), id))))
          .mapEmpty();
    }
    int attempts = delivery.getInteger("attempts") + 1;
    boolean last = attempts >= MAX_ATTEMPTS;
    delivered(delivery, "failure", code, error);
    return pool.preparedQuery(WebhookSql.ATTEMPT_FAILED)
        .execute(Tuple.of(id, code, entry, backoffSeconds(retryBaseMillis, attempts,
            ThreadLocalRandom.current().nextDouble()), last, error)).mapEmpty();
  }

  /** One line and one count per attempt: ids and outcome, never the payload or the secret. */
  private void delivered(Row delivery, String outcome, Integer code, String error) {
    metrics.webhookDelivery(outcome);
    LOG.atInfo().addKeyValue("delivery_id", delivery.getString("id"))
        .addKeyValue("endpoint_id", delivery.getString("endpoint_id"))
        .addKeyValue("event_id", delivery.getString("event_id"))
        .addKeyValue("outcome", outcome)
        .addKeyValue("status_code", code)
        .addKeyValue("error", error)
        .log("Webhook delivery {}: {}", delivery.getString("id"), outcome);
  }

  /**
   * Seconds before the next attempt after {@code attempts} failed ones: base × 2^(n-1), capped at
   * base × {@value #CAP_FACTOR}, times a jitter factor of 0.8 to 1.2 ({@code random} in [0, 1)).
   */
  static double backoffSeconds(long baseMillis, int attempts, double random) {
    double base = baseMillis / 1000.0;
    double delay = Math.min(base * Math.pow(2, Math.min(attempts - 1, 20)), base * CAP_FACTOR);
    return delay * (0.8 + 0.4 * random);
  }

  private static String describe(Throwable failure) {
    String text = failure instanceof TimeoutException || failure.getClass().getSimpleName()
        .contains("Timeout") ? "timed out after 10 s"
        : failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
  }
}
