package com.learncoin.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches waiting in each non-terminal state and the age of the oldest, read by a timer (a scrape
 * never waits on the database). The query only touches the queue's partial index.
 */
final class BatchGauges {
  private static final Logger LOG = LoggerFactory.getLogger(BatchGauges.class);
  static final List<String> STATES = List.of("queued", "signing", "anchoring");
  private static final String SQL = """
      SELECT status, count(*) AS n,
             COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
        FROM batches
       WHERE status IN ('queued', 'signing', 'anchoring')
       GROUP BY status""";

  private final Pool pool;
  private final Map<String, AtomicLong> counts = new HashMap<>();
  // Milliseconds, so one AtomicLong type serves both gauges.
  private final Map<String, AtomicLong> oldestMillis = new HashMap<>();

  BatchGauges(Metrics metrics, Pool pool) {
    this.pool = pool;
    for (String state : STATES) {
      AtomicLong count = new AtomicLong();
      AtomicLong oldest = new AtomicLong();
      counts.put(state, count);
      oldestMillis.put(state, oldest);
      metrics.gauge(Gauge.builder("learncoin.batches", count, AtomicLong::get)
          .description("Batches in a non-terminal state, all nodes (from the database)")
          .tag("status", state).register(metrics.registry()));
      metrics.gauge(Gauge.builder("learncoin.batch.oldest.age.seconds", oldest,
              v -> v.get() / 1000.0)
          .description("Age of the oldest batch in a non-terminal state")
          .tag("status", state).register(metrics.registry()));
    }
  }

  long start(Vertx vertx, long periodMillis) {
    refresh();
    return vertx.setPeriodic(periodMillis, id -> refresh());
  }

  private void refresh() {
    pool.query(SQL).execute()
        .onSuccess(rows -> {
          Map<String, Row> byState = new HashMap<>();
          rows.forEach(row -> byState.put(row.getString("status"), row));
          for (String state : STATES) {
            Row row = byState.get(state);
            counts.get(state).set(row == null ? 0 : row.getLong("n"));
            oldestMillis.get(state).set(row == null ? 0 : (long) (row.getDouble("oldest") * 1000));
          }
        })
        .onFailure(e -> LOG.warn("Batch gauges not refreshed: {}", e.getMessage()));
  }
}
