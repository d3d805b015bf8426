package com.learncoin.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.config.ConfigLoader;
import com.learncoin.gateway.support.TestDatabase;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL pool under saturation")
class PoolHandoverTest {
  private Vertx vertx;
  private Database database;
  private final ConcurrentLinkedQueue<Throwable> unhandled = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
    vertx.exceptionHandler(unhandled::add);
    database = Database.open(ConfigLoader.load(Map.of("LEARNCOIN_DB_URL",
        TestDatabase.url(TestDatabase.createDatabase()))));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("takes back a connection handed over just as its waiter timed out (5.0.7 leaked it)")
  void handoverRacingTheTimeout() throws Exception {
    Pool pool = database.pool(vertx, 1, 1_000);
    // Three event loops: the connection's (S), the holder's (X), the waiter's (A).
    Context s = eventLoop();
    Context x = eventLoop();
    Context a = eventLoop();
    await(on(s, () -> pool.query("SELECT 1").execute().mapEmpty())); // S opens the connection
    SqlConnection held = await(on(x, pool::getConnection));

    AtomicBoolean waiterDone = new AtomicBoolean();
    Promise<SqlConnection> waiter = Promise.promise();
    await(on(a, () -> {
      pool.getConnection().onComplete(ar -> {
        waiterDone.set(true);
        waiter.handle(ar);
      });
      return Future.succeededFuture();
    }));
    // S stands for a saturated event loop: busy until the waiter has timed out. X's release hands
    // the connection to the waiter, but the hand-over is delivered on S, after the timeout fired.
    CountDownLatch busy = new CountDownLatch(1);
    s.runOnContext(v -> {
      busy.countDown();
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!waiterDone.get() && System.nanoTime() < giveUp) {
        Thread.onSpinWait();
      }
    });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    x.runOnContext(v -> held.close());

    assertThatThrownBy(() -> await(waiter.future())).hasMessageContaining("Timeout");
    // Nothing holds a connection now: the pool must serve, its one connection back.
    SqlConnection again = await(pool.getConnection());
    assertThat(await(again.query("SELECT 42").execute()).iterator().next().getInteger(0))
        .isEqualTo(42);
    await(again.close());
    assertThat(unhandled).as("Promise already completed and the like").isEmpty();
  }

  @Test
  @DisplayName("fails a query that waited the connection timeout, then serves again")
  void failsFastAfterTheConnectionTimeout() throws Exception {
    Pool pool = database.pool(vertx, 1, 300);
    SqlConnection held = await(pool.getConnection());
    // The test would wait 30 s (the pool's default) and fail in await(); it gets 300 ms.
    assertThatThrownBy(() -> await(pool.query("SELECT 1").execute()))
        .hasMessageContaining("Timeout waiting for connection");
    await(held.close());
    assertThat(await(pool.query("SELECT 1").execute()).size()).isEqualTo(1);
  }

  @Test
  @DisplayName("refuses a waiter at once past 64 per connection instead of queueing it")
  void boundedWaitQueue() throws Exception {
    Pool pool = database.pool(vertx, 1, 10_000);
    SqlConnection held = await(pool.getConnection());
    List<Future<?>> queued = new ArrayList<>();
    for (int i = 0; i < Database.WAIT_QUEUE_PER_CONNECTION; i++) {
      queued.add(pool.query("SELECT 1").execute());
    }
    assertThatThrownBy(() -> await(pool.query("SELECT 1").execute()))
        .hasMessageContaining("max wait queue size of " + Database.WAIT_QUEUE_PER_CONNECTION);
    assertThat(queued).noneMatch(Future::isComplete);
    await(held.close());
    for (Future<?> waiting : queued) {
      await(waiting);
    }
  }

  /** A context of its own event loop: each verticle deployment takes the next loop. */
  private Context eventLoop() throws Exception {
    Promise<Context> deployed = Promise.promise();
    await(vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start() {
        deployed.complete(context);
      }
    }));
    return await(deployed.future());
  }

  private static <T> Future<T> on(Context context, java.util.function.Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return done.future();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }
}
