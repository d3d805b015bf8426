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
  private volatile String baseUrl;
  private volatile boolean closed;

  public CrashClients(String apiKey, int threads) {
    this.apiKey = apiKey;
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(this::work, "crash-client-" + i);
      thread.setDaemon(true);
      thread.start();
      this.threads.add(thread);
    }
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
      inFlight.incrementAndGet();
      try {
        answer(order, post(order), attempt);
      } catch (IOException lost) {
        // The gateway died (or was down) mid-request: nobody knows whether the batch was stored.
        lostAnswers.incrementAndGet();
        retryLater(order, 50);
      } catch (InterruptedException e) {
        return;
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private void answer(Order order, HttpResponse<String> reply, int attempt) {
    int status = reply.statusCode();
    if (status == 202) {
      record(order, new JsonObject(reply.body()).getString("id"), attempt);
    } else if (status == 422 && reply.headers().firstValue("Location").isPresent()) {
      // signing_key_unavailable / anchoring_chain_unavailable: stored and queued all the same.
      String location = reply.headers().firstValue("Location").get();
      record(order, location.substring(location.lastIndexOf('/') + 1), attempt);
    } else if (status == 500 || status == 429) {
      retryLater(order, status == 429 ? 1000 : 200);
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
