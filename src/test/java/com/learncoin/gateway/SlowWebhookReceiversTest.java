package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.Load.Outcome;
import com.learncoin.gateway.support.Load;
import com.learncoin.gateway.support.TestGateway;
import com.learncoin.gateway.support.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
@DisplayName("Webhook receivers that answer after 9 s or never")
class SlowWebhookReceiversTest {
  /** Deliveries one node attempts at once. */
  private static final int DISPATCH_BOUND = 16;
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

  @Test
  @DisplayName("API requests keep being answered, in-flight deliveries stay bounded, and no event "
      + "loop is reported blocked")
  void slowReceivers(Vertx vertx) throws Exception {
    Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    ListAppender<ILoggingEvent> blocked = new ListAppender<>();
    blocked.start();
    checker.addAppender(blocked);
    // One tenant here: its cap (4 by default, WebhookFairnessTest) raised to the node's bound.
    TestGateway app = TestGateway.start(vertx,
        Map.of("LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
            "LEARNCOIN_WEBHOOK_TENANT_CONCURRENCY", Integer.toString(DISPATCH_BOUND)));
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    try (Receiver slow = new Receiver(9_000, inFlight, maxInFlight);
         Receiver silent = new Receiver(Receiver.NEVER, inFlight, maxInFlight)) {
      String key = app.newTestKey("industry");
      for (int i = 0; i < 6; i++) {
        WebhookEndpointsTest.create(app, key, (i % 2 == 0 ? slow : silent).url(),
            "batch.anchored").assertStatus(201);
      }
      // 8 batches x 6 endpoints: 48 deliveries, far more than one node attempts at once.
      List<String> batches = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        batches.add(app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202).json()
            .getString("id"));
      }
      for (String id : batches) {
        Batches.awaitStatus(app, key, id, "anchored");
      }
      Load load = Load.start(4, client -> client % 2 == 0
          ? new Load.Call("read", () -> app.get("/v1/batches/" + batches.get(client), key))
          : new Load.Call("list", () -> app.get("/v1/webhooks", key)));
      Eventually.await("a full claim of deliveries hanging at the receivers",
          Duration.ofSeconds(40), () -> inFlight.get() >= DISPATCH_BOUND);
      Load.pause(3_000);
      load.close();
      int hangingAtEnd = inFlight.get();

      List<Outcome> outcomes = load.outcomes();
      System.out.printf("slow webhook receivers: %d API requests answered %s while up to %d "
          + "deliveries hung (%d received in all); blocked-thread warnings: %d%n", outcomes.size(),
          outcomes.stream().map(o -> o.answered() ? o.reply().status() : -1).distinct().toList(),
          maxInFlight.get(), slow.received() + silent.received(),
          blocked.list.size());
      assertThat(outcomes).hasSizeGreaterThan(100).allSatisfy(o ->
          assertThat(o.answered() && o.reply().status() == 200).as("%s", o).isTrue());
      assertThat(hangingAtEnd).as("deliveries still hanging when the load ended").isPositive();
      assertThat(maxInFlight.get()).as("deliveries in flight at once")
          .isLessThanOrEqualTo(DISPATCH_BOUND);
      // Every attempt in the delivery log reached a receiver (none "timed out" waiting for a
      // connection of the dispatcher's own pool); the ones still hanging are not logged yet.
      String logged = "SELECT coalesce(sum(attempts), 0) FROM webhook_deliveries";
      Eventually.await("the first claim's attempts logged", Duration.ofSeconds(20),
          () -> app.queryLong(logged) >= DISPATCH_BOUND);
      assertThat(app.queryLong(logged)).as("attempts logged")
          .isLessThanOrEqualTo(slow.received() + silent.received());
      assertThat(blocked.list).as("blocked-thread warnings").isEmpty();
    } finally {
      checker.detachAppender(blocked);
      app.close();
    }
  }

  @Test
  @DisplayName("a receiver that never answers holds one place, not every other endpoint's delivery")
  void silentReceiverDoesNotHoldUpOthers(Vertx vertx) throws Exception {
    TestGateway app = TestGateway.start(vertx,
        Map.of("LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"));
    AtomicInteger inFlight = new AtomicInteger();
    try (Receiver silent = new Receiver(Receiver.NEVER, inFlight, new AtomicInteger());
         WebhookReceiver fast = new WebhookReceiver()) {
      String key = app.newTestKey("industry");
      String silentEndpoint = WebhookEndpointsTest.create(app, key, silent.url(),
          "batch.anchored").assertStatus(201).json().getString("id");
      String first = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202)
          .json().getString("id");
      Batches.awaitStatus(app, key, first, "anchored");
      Eventually.await("the silent receiver holding the first delivery", Duration.ofSeconds(20),
          () -> inFlight.get() == 1);

      WebhookEndpointsTest.create(app, key, fast.url(), "batch.anchored").assertStatus(201);
      String second = app.post("/v1/batches", key, Batches.of(1).encode()).assertStatus(202)
          .json().getString("id");
      Batches.awaitStatus(app, key, second, "anchored");
      Eventually.await("the fast receiver's delivery", Duration.ofSeconds(30),
          () -> !fast.received().isEmpty());

      // Delivered while the silent receiver's attempt was still under way (it is logged when it
      // times out after 10 s): the dispatcher did not wait for it before claiming more.
      String firstAttempt = "SELECT d.attempts FROM webhook_deliveries d JOIN webhook_events e"
          + " ON e.id = d.event_id WHERE d.endpoint_id = ? AND e.payload->>'batch_id' = ?";
      assertThat(app.queryLong(firstAttempt, silentEndpoint, first))
          .as("the silent receiver's attempt, still under way").isZero();
      assertThat(fast.received()).hasSize(1);
      assertThat(fast.received().get(0).json().getJsonObject("data").getString("batch_id"))
          .isEqualTo(second);
    } finally {
      app.close();
    }
  }

  /**
   * A raw socket server, so it knows when the dispatcher gives up on a connection: reads each
   * webhook, then answers 200 after {@code delayMillis}, or never (it waits until the dispatcher
   * closes the connection). Counts connections held, together with the other receivers.
   */
  private static final class Receiver implements AutoCloseable {
    private static final long NEVER = -1;
    private final ServerSocket server;
    private final AtomicInteger inFlight;
    private final AtomicInteger maxInFlight;
    private final AtomicInteger received = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    Receiver(long delayMillis, AtomicInteger inFlight, AtomicInteger maxInFlight)
        throws IOException {
      this.inFlight = inFlight;
      this.maxInFlight = maxInFlight;
      server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
      threads.submit(() -> {
        while (!server.isClosed()) {
          Socket socket = server.accept();
          threads.submit(() -> hold(socket, delayMillis));
        }
        return null;
      });
    }

    private Void hold(Socket socket, long delayMillis) throws IOException {
      try (socket) {
        InputStream in = socket.getInputStream();
        String head = "";
        while (!head.endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            return null;
          }
          head += (char) b;
        }
        Matcher length = CONTENT_LENGTH.matcher(head);
        in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        received.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          if (delayMillis == NEVER) {
            while (in.read() >= 0) {
              // the dispatcher closing the connection ends this
            }
          } else {
            Thread.sleep(delayMillis);
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          }
        } catch (InterruptedException | IOException e) {
          // closed by the test or reset by the dispatcher: the connection is no longer held
        } finally {
          inFlight.decrementAndGet();
        }
      }
      return null;
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort() + "/hooks";
    }

    int received() {
      return received.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
      threads.shutdownNow();
    }
  }
}
