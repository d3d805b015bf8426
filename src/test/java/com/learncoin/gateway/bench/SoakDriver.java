package com.learncoin.gateway.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of {@code scripts/soak.sh}, not a test: closed-loop workers send a mix of reads, batch
 * POSTs with Idempotency-Keys (and their replays), batch polls, verifies of anchored credentials and
 * deliberate 4xx traffic, each with the status it must get. {@link SoakReport} prints a line a
 * minute and the summary; the exit code is 1 when any answer was not the expected one.
 *
 * <p>Arguments: base URL, gateway pid, duration in seconds, keys file (key TAB tenant a line),
 * workers, batch POSTs per second, requests per second (all workers together; a soak is a steady
 * load, not a saturation test).
 */
public final class SoakDriver {
  private final String base;
  private final List<String[]> keys;
  private final long batchIntervalNanos;
  private final AtomicLong nextBatchAt = new AtomicLong();
  private final long requestIntervalNanos;
  private final AtomicLong nextRequestAt = new AtomicLong(System.nanoTime());
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final SoakReport report;
  private final SoakBatches batches;

  private SoakDriver(String base, List<String[]> keys, double batchesPerSecond, double requestsPerSecond,
      SoakReport report) {
    this.base = base;
    this.keys = keys;
    this.batchIntervalNanos = (long) (1e9 / batchesPerSecond);
    this.requestIntervalNanos = (long) (1e9 / requestsPerSecond);
    this.report = report;
    this.batches = new SoakBatches();
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    long pid = Long.parseLong(args[1]);
    long seconds = Long.parseLong(args[2]);
    List<String[]> keys = Files.readAllLines(Path.of(args[3])).stream().map(l -> l.split("\t")).toList();
    int workers = Integer.parseInt(args[4]);
    SoakReport report = new SoakReport(pid);
    SoakDriver driver = new SoakDriver(base, keys, Double.parseDouble(args[5]), Double.parseDouble(args[6]),
        report);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Thread[] threads = new Thread[workers];
    for (int i = 0; i < workers; i++) {
      threads[i] = new Thread(() -> {
        while (System.nanoTime() < end) {
          driver.step();
        }
      }, "soak-" + i);
      threads[i].start();
    }
    report.startMinuteLines(driver.batches);
    for (Thread thread : threads) {
      thread.join();
    }
    driver.drain();
    System.exit(report.summary(driver.batches) ? 0 : 1);
  }

  /** One request of the mix, when the pace allows it. */
  private void step() {
    long slot = nextRequestAt.getAndAdd(requestIntervalNanos);
    long wait = slot - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    String[] key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
    int dice = ThreadLocalRandom.current().nextInt(100);
    long now = System.nanoTime();
    long due = nextBatchAt.get();
    if (dice < 15 && now >= due && nextBatchAt.compareAndSet(due, now + batchIntervalNanos)) {
      postBatch(key);
    } else if (dice < 35) {
      String id = batches.anyRecent();
      if (id != null) {
        String[] owner = batches.owner(id);
        HttpResponse<String> r = send("GET", "/v1/batches/" + id, owner[0], null, null, 200);
        if (r != null && r.statusCode() == 200 && "anchored".equals(new JsonObject(r.body()).getString("status"))) {
          batches.anchored(id);
        }
      }
    } else if (dice < 45) {
      verify();
    } else if (dice < 60) {
      switch (ThreadLocalRandom.current().nextInt(4)) {
        case 0 -> send("GET", "/v1/batches/bat_nope", key[0], null, null, 404);
        case 1 -> send("POST", "/v1/batches", key[0], "{\"credentials\":[]}", null, 400);
        case 2 -> send("GET", "/v1/tenants/" + key[1], null, null, null, 401);
        default -> send("GET", "/v1/nowhere", key[0], null, null, 404);
      }
    } else {
      send("GET", "/v1/tenants/" + key[1], key[0], null, null, 200);
    }
  }

  private void postBatch(String[] key) {
    String body = SoakBatches.body(1 + ThreadLocalRandom.current().nextInt(5));
    String idem = UUID.randomUUID().toString();
    HttpResponse<String> first = send("POST", "/v1/batches", key[0], body, idem, 202);
    if (first == null || first.statusCode() != 202) {
      return;
    }
    String id = new JsonObject(first.body()).getString("id");
    batches.created(id, key);
    if (ThreadLocalRandom.current().nextInt(5) == 0) { // a client retry: replayed, never run twice
      HttpResponse<String> again = send("POST", "/v1/batches", key[0], body, idem, 202);
      if (again != null && (!again.body().equals(first.body())
          || !"true".equals(again.headers().firstValue("Idempotent-Replayed").orElse(null)))) {
        report.unexpected("replay of " + id + " was not the stored answer");
      }
    }
  }

  /** Verifies the first credential of an anchored batch; it must come back verified. */
  private void verify() {
    String id = batches.anyAnchored();
    if (id == null) {
      return;
    }
    String[] owner = batches.owner(id);
    HttpResponse<String> page = send("GET", "/v1/batches/" + id + "/credentials?limit=1", owner[0], null,
        null, 200);
    if (page == null || page.statusCode() != 200) {
      return;
    }
    JsonObject credential = new JsonObject(page.body()).getJsonArray("data").getJsonObject(0);
    if (credential.getValue("credential") == null || credential.getValue("anchor") == null) {
      report.unexpected("credential of anchored batch " + id + " has no VC or anchor");
      return;
    }
    String body = new JsonObject().put("credential", credential.getJsonObject("credential"))
        .put("anchor", credential.getJsonObject("anchor")).encode();
    HttpResponse<String> r = send("POST", "/v1/verify", owner[0], body, null, 200);
    if (r != null && r.statusCode() == 200 && !new JsonObject(r.body()).getBoolean("verified", false)) {
      report.unexpected("credential of " + id + " did not verify: " + r.body());
    }
  }

  /** After the load: waits up to 2 minutes for every batch created to be anchored. */
  private void drain() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline && batches.pendingCount() > 0) {
      for (String id : batches.pending()) {
        HttpResponse<String> r = send("GET", "/v1/batches/" + id, batches.owner(id)[0], null, null, 200);
        if (r != null && r.statusCode() == 200 && "anchored".equals(new JsonObject(r.body()).getString("status"))) {
          batches.anchored(id);
        }
      }
      Thread.sleep(1_000);
    }
  }

  /** Sends one request and records its latency and whether its status was the expected one. */
  private HttpResponse<String> send(String method, String path, String key, String body, String idem,
      int expected) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (idem != null) {
      request.header("Idempotency-Key", idem);
    }
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      report.answered(System.nanoTime() - started, response.statusCode(), expected, method + " " + path);
      return response;
    } catch (Exception e) {
      report.answered(System.nanoTime() - started, -1, expected, method + " " + path + ": " + e);
      return null;
    }
  }
}
