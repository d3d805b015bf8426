package com.learncoin.gateway.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Steady load from a few concurrent clients, each sending one request after another, every
 * outcome kept with when it started and ended, so a test can judge the requests of each phase
 * (before, during and after a fault).
 */
public final class Load implements AutoCloseable {
  /** One request: its answer ({@code reply}) or the I/O failure that took its place. */
  public record Outcome(String what, long startedNanos, long endedNanos, Reply reply,
      Throwable failure) {
    public boolean answered() {
      return reply != null;
    }

    public boolean within(long fromNanos, long toNanos) {
      return startedNanos >= fromNanos && endedNanos <= toNanos;
    }

    public boolean startedAfter(long nanos) {
      return startedNanos >= nanos;
    }

    @Override
    public String toString() {
      return what + " -> " + (reply == null ? String.valueOf(failure) : reply.status() + " "
          + reply.text());
    }
  }

  /** A client's n-th request: a label and the call making it. */
  public record Call(String what, java.util.function.Supplier<Reply> send) {}

  /** Between one client's requests: steady load well inside the industry plan's rate limit. */
  private static final long PACE_MILLIS = 20;

  private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  private final ExecutorService clients;
  private volatile boolean stopped;

  private Load(int clients) {
    this.clients = Executors.newFixedThreadPool(clients);
  }

  /** Starts {@code clients} clients; client {@code c} sends {@code calls.apply(c)} in turn. */
  public static Load start(int clients, IntFunction<Call> calls) {
    Load load = new Load(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      load.clients.submit(() -> {
        while (!load.stopped) {
          Call call = calls.apply(client);
          long started = System.nanoTime();
          try {
            Reply reply = call.send().get();
            load.outcomes.add(new Outcome(call.what(), started, System.nanoTime(), reply, null));
          } catch (RuntimeException e) {
            load.outcomes.add(new Outcome(call.what(), started, System.nanoTime(), null, e));
          }
          pause(PACE_MILLIS);
        }
      });
    }
    return load;
  }

  public List<Outcome> outcomes() {
    return new ArrayList<>(outcomes);
  }

  public List<Outcome> outcomes(Predicate<Outcome> which) {
    return outcomes.stream().filter(which).toList();
  }

  /** Lets each client finish the request under way, then stops. */
  @Override
  public void close() {
    stopped = true;
    clients.shutdown();
    try {
      if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
        throw new AssertionError("a load client did not get an answer within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sleeps for a phase of the test. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
