package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.ChainUnavailableException;
import com.learncoin.gateway.anchoring.WalletWatch;
import com.learncoin.gateway.db.DatabaseErrors;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.signing.SignerUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployed with the worker threading model: takes due batches from the queue in PostgreSQL one
 * step at a time (small batches due for signing many at once) ({@code queued/signing → anchoring → anchored}), woken by intake over the event
 * bus and by a timer. A step that fails on a dependency is retried with capped exponential
 * backoff; the batch shows the reason in {@code last_error} meanwhile.
 */
public final class IssuanceWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IssuanceWorker.class);
  private static final long TICK_MILLIS = 500;
  private static final long WALLET_CHECK_MILLIS = 5_000;
  private static final int MAX_UNEXPECTED_FAILURES = 8;

  private final Issuance issuance;
  private final Metrics metrics;
  private final SigningStep signing;
  private final AnchoringStep anchoring;
  private MessageConsumer<Object> wakeups;
  private long timer;
  private long walletTimer;
  private boolean running;
  private boolean stopping;
  private final Promise<Void> idle = Promise.promise();

  public IssuanceWorker(Issuance issuance, Metrics metrics) {
    this.issuance = issuance;
    this.metrics = metrics;
    this.signing = new SigningStep(issuance, metrics);
    this.anchoring = new AnchoringStep(issuance, metrics);
  }

  @Override
  public Future<?> start() {
    wakeups = vertx.eventBus().localConsumer(Issuance.WAKE, message -> drain());
    timer = vertx.setPeriodic(TICK_MILLIS, id -> drain());
    walletTimer = vertx.setPeriodic(0, WALLET_CHECK_MILLIS, id -> checkWallets());
    return wakeups.completion();
  }

  /** Lets the step under way finish, so a clean stop leaves no batch leased. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(walletTimer);
    return wakeups.unregister().compose(v -> running ? idle.future() : Future.succeededFuture());
  }

  /** On this worker's thread (chain calls block): balances, and the breakers they open or close. */
  private void checkWallets() {
    if (stopping) {
      return;
    }
    WalletWatch.check(issuance.networks(), issuance.minWalletBalanceEth())
        .forEach(metrics::walletBalance);
  }

  /** Works through every due batch, one step at a time, then waits for the next wake-up. */
  private void drain() {
    if (running || stopping) {
      return;
    }
    running = true;
    next().onComplete(done -> {
      running = false;
      if (stopping) {
        idle.tryComplete();
        return;
      }
      if (done.failed()) {
        LOG.warn("Issuance queue unavailable: {}", done.cause().getMessage());
      } else if (Boolean.TRUE.equals(done.result())) {
        drain();
      }
    });
  }

  /**
   * One step of one due batch, or of a group of small batches due for signing; true when a batch
   * was found (so there may be more).
   */
  private Future<Boolean> next() {
    return issuance.pool().preparedQuery(IssuanceSql.CLAIM).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Row batch = rows.iterator().next();
      if ("anchoring".equals(batch.getString("status"))) {
        return guarded(() -> anchoring.run(batch)).recover(e -> retryLater(batch, e)).map(true);
      }
      return withSmallOnes(batch).compose(this::sign).map(true);
    });
  }

  /** A small batch brings other small ones due for signing (at most {@link SigningStep#GROUP}). */
  private Future<List<Row>> withSmallOnes(Row first) {
    if (first.getInteger("count") > SigningStep.SMALL_BATCH) {
      return Future.succeededFuture(List.of(first));
    }
    return issuance.pool().preparedQuery(IssuanceSql.CLAIM_SMALL)
        .execute(Tuple.of(SigningStep.SMALL_BATCH, SigningStep.GROUP - 1))
        .map(rows -> {
          List<Row> group = new ArrayList<>(List.of(first));
          rows.forEach(group::add);
          return group;
        })
        .otherwise(List.of(first));
  }

  /**
   * Signs the group, then looks for a round at once for the first batch of each network (the
   * others are in that round, or the next, anyway). A group that fails on something other than a
   * dependency is signed one batch at a time, so one bad batch never fails its neighbours.
   */
  private Future<Void> sign(List<Row> group) {
    return guarded(() -> signing.run(group)).compose(moved -> {
      Set<String> networks = new HashSet<>();
      Future<Void> done = Future.succeededFuture();
      for (Row batch : moved) {
        // Signed: a POST /credentials/issue of this node waiting on the batch answers at once.
        vertx.eventBus().publish(Issuance.SIGNED, batch.getString("id"));
        if (networks.add(batch.getString("network"))) {
          done = done.compose(v -> guarded(() -> anchoring.run(batch))
              .recover(e -> retryLater(batch, e)));
        }
      }
      return done;
    }, failure -> {
      if (group.size() > 1 && !isDependency(failure)) {
        Future<Void> alone = Future.succeededFuture();
        for (Row batch : group) {
          alone = alone.compose(v -> sign(List.of(batch)));
        }
        return alone;
      }
      tripBreaker(group.get(0), failure);
      Future<Void> later = Future.succeededFuture();
      for (Row batch : group) {
        later = later.compose(v -> retryLater(batch, failure, false));
      }
      return later;
    });
  }

  private static <T> Future<T> guarded(java.util.function.Supplier<Future<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** PostgreSQL itself away mid-step is an outage too: it must not count towards failing a batch. */
  private static boolean isDependency(Throwable failure) {
    return failure instanceof SignerUnavailableException
        || failure instanceof ChainUnavailableException || DatabaseErrors.isUnavailable(failure);
  }

  private Future<Void> retryLater(Row batch, Throwable failure) {
    return retryLater(batch, failure, true);
  }

  private Future<Void> retryLater(Row batch, Throwable failure, boolean trip) {
    String batchId = batch.getString("id");
    if (trip) {
      tripBreaker(batch, failure);
    }
    JsonObject lastError = lastError(batch, failure);
    int attempts = batch.getInteger("attempts");
    double delay = RetryBackoff.seconds(attempts, ThreadLocalRandom.current().nextDouble());
    if (!isDependency(failure)) {
      LOG.atError().addKeyValue("batch_id", batchId).addKeyValue("attempt", attempts + 1)
          .setCause(failure).log("Batch {} step failed unexpectedly (attempt {})", batchId,
              attempts + 1);
      if (attempts + 1 >= MAX_UNEXPECTED_FAILURES) {
        return FailedBatch.fail(issuance.pool(), metrics, batch, lastError)
            .onSuccess(v -> LOG.atWarn().addKeyValue("batch_id", batchId)
                .addKeyValue("state", "failed")
                .log("Batch {}: failed after {} unexpected errors", batchId, attempts + 1));
      }
    } else {
      LOG.atInfo().addKeyValue("batch_id", batchId).addKeyValue("state", batch.getString("status"))
          .addKeyValue("retry_in_s", Math.round(delay * 10) / 10.0)
          .addKeyValue("error_code", lastError.getString("code"))
          .log("Batch {} waits {}s: {}", batchId, String.format("%.1f", delay), failure.getMessage());
    }
    return issuance.pool().preparedQuery(IssuanceSql.RETRY_LATER)
        .execute(Tuple.of(batchId, lastError, delay)).mapEmpty();
  }

  /** A dependency's failure counts against its breaker, which intake and readiness read. */
  private void tripBreaker(Row batch, Throwable failure) {
    if (failure instanceof SignerUnavailableException) {
      issuance.signerBreaker().failure(failure.getMessage());
    } else if (failure instanceof ChainUnavailableException) {
      issuance.networks().get(batch.getString("network")).breaker().failure(failure.getMessage());
    }
  }

  private static JsonObject lastError(Row batch, Throwable failure) {
    if (failure instanceof SignerUnavailableException) {
      return FailedBatch.error(ApiError.SIGNING_KEY_UNAVAILABLE,
          "The signing key is unavailable; retrying.");
    }
    if (failure instanceof ChainUnavailableException) {
      return FailedBatch.error(ApiError.ANCHORING_CHAIN_UNAVAILABLE, "The "
          + batch.getString("network") + " chain is unavailable; retrying.");
    }
    return FailedBatch.error(ApiError.INTERNAL_ERROR,
        "An internal error interrupted this batch; retrying.");
  }
}
