package com.learncoin.gateway.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API clients as a careful integrator writes them: every {@code POST /v1/batches} carries an
 * Idempotency-Key; when the answer is lost (connection reset or refused because the gateway died)
 * the same request is sent again with the same key, as often as it takes. 500 and 429 are retried
 * too, as the contract says. Whatever the gateway answers for a key must name one batch only.
 * Behind a load balancer ({@link #behindProxy}) every 5xx is retried (its 502/503/504 for a dead
 * node), with exponential backoff, a bounded number of times.
 */
public final class CrashClients implements AutoCloseable {
  /** One batch a client wants issued, under its idempotency key. */
  public record Order(String key, String body, int count) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String apiKey;
  private final LinkedBlockingQueue<Order> unanswered = new LinkedBlockingQueue<>();
  private final Map<String, Order> orders = new ConcurrentHashMap<>();
  private final Map<String, String> batchOfKey = new ConcurrentHashMap<>();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger lostAnswers = new AtomicInteger();
  private final AtomicInteger answeredAfterRetry = new AtomicInteger();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<Integer, Integer> retriedStatuses = new ConcurrentHashMap<>();
  private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
  private final int maxAttempts;
  private volatile String baseUrl;
  private volatile boolean closed;

  public CrashClients(String apiKey, int threads) {
    this(apiKey, threads, 0);
  }

  /** {@code maxAttempts} > 0: behind a load balancer, giving up on an order after that many. */
  private CrashClients(String apiKey, int threads, int maxAttempts) {
    this.apiKey = apiKey;
    this.maxAttempts = maxAttempts;
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(this::work, "crash-client-" + i);
      thread.setDaemon(true);
      thread.start();
      this.threads.add(thread);
    }
  }

  /** Clients of a load balancer: any 5xx is retried, at most {@code maxAttempts} per order. */
  public static CrashClients behindProxy(String apiKey, int threads, int maxAttempts) {
    return new CrashClients(apiKey, threads, maxAttempts);
  }

  /** Where the gateway listens now; null while it is down (clients wait, then retry). */
  public void target(String url) {
    this.baseUrl = url;
  }

  public void submit(String key, JsonObject batch) {
    Order order = new Order(key, batch.encode(), batch.getJsonArray("credentials").size());
    orders.put(key, order);
    unanswered.add(order);
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** True when every order has its batch id and no request is under way. */
  public boolean allAnswered() {
    return batchOfKey.size() == orders.size() && inFlight.get() == 0;
  }

  public Map<String, Order> orders() {
    return orders;
  }

  /** Idempotency key to the batch id the gateway answered with. */
  public Map<String, String> batchOfKey() {
    return batchOfKey;
  }

  public List<String> violations() {
    return violations;
  }

  public int lostAnswers() {
    return lostAnswers.get();
  }

  public int answeredAfterRetry() {
    return answeredAfterRetry.get();
  }

  /** 5xx answers retried, by status (a retry that then succeeded is not a violation). */
  public Map<Integer, Integer> retriedStatuses() {
    return retriedStatuses;
  }

  /** An attempt that failed (answer lost or 5xx), with System.nanoTime() when it was sent. */
  public record Failure(long sentNanos, String key, String what) {}

  /** Every attempt that failed and was retried. */
  public List<Failure> failures() {
    return List.copyOf(failures);
  }

  /** Sends the order (again): a late duplicate's answer must name the batch it already has. */
  public HttpResponse<String> post(Order order) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/batches"))
        .timeout(Duration.ofSeconds(90))
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", order.key())
        .POST(HttpRequest.BodyPublishers.ofString(order.body())).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private void work() {
    while (!closed) {
      Order order;
      try {
        order = unanswered.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (order == null) {
        continue;
      }
      if (baseUrl == null) {
        retryLater(order, 50);
        continue;
      }
      int attempt = attempts.merge(order.key(), 1, Integer::sum);
      if (maxAttempts > 0 && attempt > maxAttempts) {
        violations.add("key " + order.key() + ": no answer after " + maxAttempts + " attempts");
        continue;
      }
      inFlight.incrementAndGet();
      long sent = System.nanoTime();
      try {
        answer(order, post(order), attempt, sent);
      } catch (IOException lost) {
        // The gateway died (or was down) mid-request: nobody knows whether the batch was stored.
        lostAnswers.incrementAndGet();
        failures.add(new Failure(sent, order.key(), lost.toString()));
        retryLater(order, backoff(attempt, 50));
      } catch (InterruptedException e) {
        return;
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private void answer(Order order, HttpResponse<String> reply, int attempt, long sent) {
    int status = reply.statusCode();
    if (status == 202) {
      record(order, new JsonObject(reply.body()).getString("id"), attempt);
    } else if (status == 422 && reply.headers().firstValue("Location").isPresent()) {
      // signing_key_unavailable / anchoring_chain_unavailable: stored and queued all the same.
      String location = reply.headers().firstValue("Location").get();
      record(order, location.substring(location.lastIndexOf('/') + 1), attempt);
    } else if (status == 429) {
      retryLater(order, 1000);
    } else if (status == 500 || status > 500 && maxAttempts > 0) {
      // 502/503/504 only from a balancer: a node died under the request, or none answered.
      retriedStatuses.merge(status, 1, Integer::sum);
      failures.add(new Failure(sent, order.key(), status + (reply.headers()
          .firstValue("X-Request-Id").isPresent() ? " from a gateway" : " from the balancer")));
      retryLater(order, backoff(attempt, status == 500 ? 200 : 50));
    } else {
      violations.add("POST with key " + order.key() + " answered " + status + ": " + reply.body());
    }
  }

  private void record(Order order, String batchId, int attempt) {
    String earlier = batchOfKey.putIfAbsent(order.key(), batchId);
    if (earlier != null && !earlier.equals(batchId)) {
      violations.add("key " + order.key() + " answered with " + earlier + " and then " + batchId);
    }
    if (attempt > 1) {
      answeredAfterRetry.incrementAndGet();
    }
  }

  /** Exponential behind a balancer (at most 1.6 s), as the contract asks; fixed otherwise. */
  private long backoff(int attempt, long base) {
    return maxAttempts > 0 ? base << Math.min(attempt - 1, 5) : base;
  }

  private void retryLater(Order order, long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    unanswered.add(order);
  }

  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
  }
}
