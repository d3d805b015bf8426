package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest(env = {"LEARNCOIN_DB_POOL_SIZE=2", "LEARNCOIN_DB_CONNECTION_TIMEOUT_MILLIS=300"})
@DisplayName("With every PostgreSQL connection busy, requests fail fast with internal_error")
class PoolSaturationTest {
  private static final int REQUESTS = 8;
  private static TestGateway app;

  @Test
  @DisplayName("a request that waited the connection timeout gets the 500 envelope; then all serve")
  void connectionTimeout() throws Exception {
    String key = app.newTestKey("industry");
    app.get("/v1/batches/bat_none", key).assertError(404, "batch_not_found"); // key now cached
    ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);
    try (Connection locker = app.jdbc(); Statement lock = locker.createStatement()) {
      locker.setAutoCommit(false);
      // Every batch read now blocks in PostgreSQL, holding its pooled connection: two of them
      // take the pool, the others wait for a connection.
      lock.execute("LOCK TABLE batches IN ACCESS EXCLUSIVE MODE");
      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        replies.add(CompletableFuture.supplyAsync(() -> app.get("/v1/batches/bat_none", key), clients));
      }
      // While the lock is held, at least REQUESTS - 2 are answered: after 300 ms, not 30 s.
      List<Reply> failed = new ArrayList<>();
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (failed.size() < REQUESTS - 2 && System.nanoTime() < giveUp) {
        failed.clear();
        replies.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
            .forEach(failed::add);
        Thread.sleep(20);
      }
      assertThat(failed).hasSizeGreaterThanOrEqualTo(REQUESTS - 2);
      failed.forEach(reply -> reply.assertError(500, "internal_error"));
      locker.commit();
      for (CompletableFuture<Reply> reply : replies) {
        Reply answer = reply.get(20, TimeUnit.SECONDS);
        if (answer.status() != 500) {
          answer.assertError(404, "batch_not_found");
        }
      }
    } finally {
      clients.shutdownNow();
    }
    for (int i = 0; i < REQUESTS; i++) {
      app.get("/v1/batches/bat_none", key).assertError(404, "batch_not_found");
    }
  }
}
