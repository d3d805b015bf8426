package com.learncoin.gateway.audit;

import com.learncoin.gateway.db.DatabaseErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log. Requests only enqueue their record; a timer writes the queue in batches, so the
 * response path never waits for the database. A failed write keeps its records for the next try.
 */
public final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final int BATCH = 1_000;
  private static final int PARALLEL = 4;
  /** One statement per batch of records (column arrays), far cheaper than a statement each. */
  private static final String INSERT = """
      INSERT INTO audit_log (request_id, at, tenant_id, key_id, client_ip, method, path, status,
                             error_code, latency_ms, idempotency_key)
      SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[],
                           $6::text[], $7::text[], $8::int[], $9::text[], $10::int[], $11::text[])""";
  /**
   * A batch written again after a failure that had in fact committed (the answer was lost).
   * Only then: ON CONFLICT's speculative insertion is extra work for PostgreSQL on every row.
   */
  private static final String INSERT_AGAIN = INSERT + " ON CONFLICT (request_id) DO NOTHING";
  private static final String FIND = "SELECT * FROM audit_log WHERE request_id = $1";

  private final Vertx vertx;
  private final Pool pool;
  private final ConcurrentLinkedQueue<AuditRecord> queue = new ConcurrentLinkedQueue<>();
  private Future<Void> last = Future.succeededFuture();
  private final long timerId;

  public AuditLog(Vertx vertx, Pool pool, int flushMillis) {
    this.vertx = vertx;
    this.pool = pool;
    this.timerId = vertx.setPeriodic(flushMillis, id -> flush());
  }

  public void record(AuditRecord record) {
    queue.add(record);
  }

  /** Writes what is queued now; writes run one after another, never two at once. */
  public synchronized Future<Void> flush() {
    if (queue.isEmpty()) {
      return last;
    }
    last = last.transform(ignored -> writeQueued());
    return last;
  }

  /**
   * Up to {@value #PARALLEL} batches at once, on as many connections: one statement at a time
   * fell behind at 50,000 requests a second, and a backlog is copied by every young GC.
   */
  private Future<Void> writeQueued() {
    List<Future<Void>> writes = new ArrayList<>(PARALLEL);
    while (writes.size() < PARALLEL) {
      List<AuditRecord> batch = poll();
      if (batch.isEmpty()) {
        break;
      }
      writes.add(write(batch));
    }
    if (writes.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.join(writes).transform(done -> done.succeeded() ? writeQueued()
        : Future.failedFuture(done.cause()));
  }

  private List<AuditRecord> poll() {
    List<AuditRecord> batch = new ArrayList<>();
    for (AuditRecord r = queue.poll(); r != null; r = batch.size() < BATCH ? queue.poll() : null) {
      batch.add(r);
    }
    return batch;
  }

  private Future<Void> write(List<AuditRecord> batch) {
    Tuple columns = columns(batch);
    return pool.preparedQuery(INSERT).execute(columns)
        .recover(e -> DatabaseErrors.isUniqueViolation(e)
            ? pool.preparedQuery(INSERT_AGAIN).execute(columns) : Future.failedFuture(e))
        .<Void>mapEmpty()
        .onFailure(e -> {
          LOG.warn("Audit write of {} records failed; kept for the next try: {}", batch.size(),
              e.getMessage());
          queue.addAll(batch);
        });
  }

  /** On shutdown: stop the timer and write everything still queued. */
  public Future<Void> close() {
    vertx.cancelTimer(timerId);
    return flush();
  }

  public Future<Optional<AuditRecord>> find(String requestId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(requestId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next())));
  }

  private static Tuple columns(List<AuditRecord> batch) {
    int n = batch.size();
    String[] ids = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] tenants = new String[n];
    String[] keys = new String[n];
    String[] ips = new String[n];
    String[] methods = new String[n];
    String[] paths = new String[n];
    Integer[] statuses = new Integer[n];
    String[] codes = new String[n];
    Integer[] latencies = new Integer[n];
    String[] idempotencyKeys = new String[n];
    for (int i = 0; i < n; i++) {
      AuditRecord r = batch.get(i);
      ids[i] = r.requestId();
      at[i] = r.at().atOffset(ZoneOffset.UTC);
      tenants[i] = r.tenantId();
      keys[i] = r.keyId();
      ips[i] = r.clientIp();
      methods[i] = r.method();
      paths[i] = r.path();
      statuses[i] = r.status();
      codes[i] = r.errorCode();
      latencies[i] = r.latencyMs();
      idempotencyKeys[i] = r.idempotencyKey();
    }
    return Tuple.tuple().addArrayOfString(ids).addArrayOfOffsetDateTime(at)
        .addArrayOfString(tenants).addArrayOfString(keys).addArrayOfString(ips)
        .addArrayOfString(methods).addArrayOfString(paths).addArrayOfInteger(statuses)
        .addArrayOfString(codes).addArrayOfInteger(latencies).addArrayOfString(idempotencyKeys);
  }

  private static AuditRecord fromRow(Row row) {
    Instant at = row.getOffsetDateTime("at").toInstant();
    return new AuditRecord(row.getString("request_id"), at, row.getString("tenant_id"),
        row.getString("key_id"), row.getString("client_ip"), row.getString("method"),
        row.getString("path"), row.getInteger("status"), row.getString("error_code"),
        row.getInteger("latency_ms"), row.getString("idempotency_key"));
  }
}
