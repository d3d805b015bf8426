package com.learncoin.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JSON-RPC pass-through between the gateway and its chain node that can hold
 * {@code eth_sendRawTransaction} on its way: the window in which an anchoring transaction is
 * signed and stored but has not reached the node. A held request whose sender was killed meanwhile
 * is dropped, never delivered, as a request lost with its process.
 */
public final class RpcHoldingProxy implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  private final URI node;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "rpc-proxy");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicInteger held = new AtomicInteger();
  private volatile long holdMillis;
  private volatile String holdMethod = "eth_sendRawTransaction";
  private volatile int generation;

  public RpcHoldingProxy(String nodeUrl) {
    this.node = URI.create(nodeUrl);
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::relay);
    server.setExecutor(threads);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** From now on, each eth_sendRawTransaction waits this long before it is passed on. */
  public void holdSends(long millis) {
    hold("eth_sendRawTransaction", millis);
  }

  /** From now on, each call of {@code method} (and no other) waits this long. */
  public void hold(String method, long millis) {
    holdMethod = method;
    holdMillis = millis;
  }

  /** Requests held right now. */
  public int held() {
    return held.get();
  }

  /** The gateway was killed: what it sent and is still held here is dropped, not delivered. */
  public void senderDied() {
    generation++;
  }

  private void relay(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int sentBy = generation;
      long hold = holdMillis;
      if (hold > 0 && new String(body, StandardCharsets.UTF_8).contains("\"" + holdMethod + "\"")) {
        held.incrementAndGet();
        try {
          Thread.sleep(hold);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          held.decrementAndGet();
        }
      }
      if (sentBy != generation) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      HttpResponse<byte[]> answer;
      try {
        answer = HTTP.send(HttpRequest.newBuilder(node).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
      exchange.getResponseBody().write(answer.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
