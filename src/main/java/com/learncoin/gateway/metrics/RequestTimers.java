package com.learncoin.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One timer per route template, method and status, looked up without allocating: a map keyed
 * by the template (routes are few and fixed), then an array indexed by method and status. A race
 * between two event loops registering the same timer is harmless: the registry returns the same
 * meter to both.
 */
final class RequestTimers {
  static final String NAME = "learncoin.http.requests";
  private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.HEAD, HttpMethod.OPTIONS};
  private static final int STATUSES = 500;
  // Few buckets: every (route, method, status) series carries them all.
  private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Timer[]> byRoute = new ConcurrentHashMap<>();

  RequestTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String route, HttpMethod method, int status, long nanos) {
    Timer[] timers = byRoute.get(route);
    if (timers == null) {
      timers = byRoute.computeIfAbsent(route, r -> new Timer[(METHODS.length + 1) * STATUSES]);
    }
    int m = methodIndex(method);
    int s = status >= 100 && status < 100 + STATUSES ? status - 100 : 0;
    int slot = m * STATUSES + s;
    Timer timer = timers[slot];
    if (timer == null) {
      timer = Timer.builder(NAME)
          .description("HTTP requests by route template, method and status")
          .tag("route", route)
          .tag("method", m < METHODS.length ? METHODS[m].name() : "OTHER")
          .tag("status", s == 0 && status != 100 ? "other" : Integer.toString(status))
          .serviceLevelObjectives(BUCKETS)
          .register(registry);
      timers[slot] = timer;
    }
    timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private static int methodIndex(HttpMethod method) {
    for (int i = 0; i < METHODS.length; i++) {
      if (METHODS[i] == method) {
        return i;
      }
    }
    return METHODS.length;
  }
}
