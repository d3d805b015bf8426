package com.learncoin.gateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Counts answers, and prints a line a minute (memory of the gateway process, load, errors) and a summary. */
final class SoakReport {
  private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");
  private static final int SHOWN_ERRORS = 20;

  private final long pid;
  private final long started = System.nanoTime();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong expectedNon2xx = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();
  private long[] latencies = new long[1 << 16];
  private int count;
  private long firstRss = -1;
  private long lastRss;
  private long firstHeap = -1;
  private long lastHeap;
  private long lastRequests;

  SoakReport(long pid) {
    this.pid = pid;
  }

  void answered(long nanos, int status, int expected, String what) {
    requests.incrementAndGet();
    synchronized (this) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = nanos;
    }
    if (status != expected) {
      unexpected(what + " answered " + status + ", expected " + expected);
    } else if (status >= 300) {
      expectedNon2xx.incrementAndGet();
    }
  }

  void unexpected(String what) {
    if (unexpected.incrementAndGet() <= SHOWN_ERRORS) {
      System.err.println("[soak] unexpected: " + what);
    }
  }

  void startMinuteLines(SoakBatches batches) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "soak-report");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> minute(batches), 60, 60, TimeUnit.SECONDS);
  }

  /** One line: elapsed, RSS, heap used, requests and p99 of the minute, errors so far, batches. */
  private synchronized void minute(SoakBatches batches) {
    long[] minute = Arrays.copyOf(latencies, count);
    count = 0;
    Arrays.sort(minute);
    double p99 = minute.length == 0 ? 0 : minute[(int) Math.min(minute.length - 1, minute.length * 0.99)] / 1e6;
    long rss = rssKb() / 1024;
    long[] heapKb = heapKb();
    long heap = heapKb[1] / 1024;
    if (firstRss < 0) {
      firstRss = rss;
      firstHeap = heap;
    }
    lastRss = rss;
    lastHeap = heap;
    long total = requests.get();
    long elapsed = (System.nanoTime() - started) / 1_000_000_000;
    System.out.printf("[soak] %02d:%02d  rss %5d MB  heap used %4d MB of %4d MB  requests %7d (%4d/s)  "
        + "p99 %6.1f ms  non-2xx expected %6d  unexpected %d  batches %d created, %d anchored%n",
        elapsed / 60, elapsed % 60, rss, heap, heapKb[0] / 1024, total - lastRequests,
        (total - lastRequests) / 60, p99,
        expectedNon2xx.get(), unexpected.get(), batches.createdCount(), batches.anchoredCount());
    lastRequests = total;
  }

  /** The summary; true when every answer was the expected one and every batch got anchored. */
  synchronized boolean summary(SoakBatches batches) {
    long pending = batches.pendingCount();
    System.out.printf("[soak] summary: %d requests, %d expected non-2xx, %d unexpected; batches %d created, "
        + "%d anchored, %d not anchored 2 min after the load%n", requests.get(), expectedNon2xx.get(),
        unexpected.get(), batches.createdCount(), batches.anchoredCount(), pending);
    if (firstRss >= 0) {
      System.out.printf("[soak] RSS first minute %d MB, last minute %d MB (%+d MB); heap used %d MB -> %d MB%n",
          firstRss, lastRss, lastRss - firstRss, firstHeap, lastHeap);
    }
    boolean ok = unexpected.get() == 0 && pending == 0;
    System.out.println("[soak] " + (ok ? "PASS" : "FAIL: unexpected answers or unanchored batches"));
    return ok;
  }

  private long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process is gone: reported as 0
    }
    return 0;
  }

  /** Heap committed and used as the gateway's JVM reports them (jcmd GC.heap_info), in KB; 0 if unknown. */
  private long[] heapKb() {
    try {
      Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.heap_info").redirectErrorStream(true)
          .start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor(30, TimeUnit.SECONDS);
      Matcher heap = HEAP.matcher(out);
      return heap.find() ? new long[] {Long.parseLong(heap.group(1)), Long.parseLong(heap.group(2))}
          : new long[2];
    } catch (IOException | InterruptedException e) {
      return new long[2];
    }
  }
}
