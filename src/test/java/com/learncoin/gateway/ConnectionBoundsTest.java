package com.learncoin.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Envelope;
import com.learncoin.gateway.support.Envelope.Answer;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.RawHttp;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

// All test clients share 127.0.0.1: the per-client cap is raised so 500 of them stand for many clients.
@GatewayTest(env = {"LEARNCOIN_HTTP_BODY_TIMEOUT_SECONDS=" + ConnectionBoundsTest.BODY_TIMEOUT_SECONDS,
    "LEARNCOIN_HTTP_MAX_CONNECTIONS_PER_CLIENT=2000"})
@DisplayName("Bodies are read only after authentication, within a deadline, on a bounded number of connections")
class ConnectionBoundsTest {
  static final int BODY_TIMEOUT_SECONDS = 10;
  private static final int TRICKLING = 500;
  private static final int PREFIX_BYTES = 512 * 1024;
  private static final long MB = 1024 * 1024;
  private static final String BAD_KEY = "lrn_test_" + "Z".repeat(32);
  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;

  @Test
  @DisplayName("500 unauthenticated POSTs declaring 5 MB, sending 512 KiB and then trickling, cost under "
      + "100 MB of heap, each gets its 401, and normal requests are served meanwhile")
  void tricklingUnauthenticatedBodies() throws Exception {
    app.get("/v1/tenants/" + tenant, key).assertStatus(200);
    long heapBefore = usedHeapAfterGc();
    byte[] prefix = new byte[PREFIX_BYTES];
    Arrays.fill(prefix, (byte) '[');
    List<SocketChannel> channels = new ArrayList<>();
    List<ByteBuffer> pending = new ArrayList<>();
    for (int i = 0; i < TRICKLING; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", app.gateway().port()));
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap(("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + (i % 2 == 0 ? "Authorization: Bearer " + BAD_KEY + "\r\n" : "")
          + "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n").getBytes(ISO_8859_1)));
      channels.add(channel);
      pending.add(ByteBuffer.wrap(prefix));
    }
    StringBuilder[] received = new StringBuilder[TRICKLING];
    Arrays.setAll(received, i -> new StringBuilder());
    long heapDuring = 0;
    long slowest = 0;
    for (int round = 0; round < 8; round++) {
      for (int i = 0; i < TRICKLING; i++) {
        ByteBuffer rest = pending.get(i);
        try {
          readInto(channels.get(i), received[i]);
          if (rest.hasRemaining()) {
            channels.get(i).write(rest);
          } else if (round % 2 == 1) {
            channels.get(i).write(ByteBuffer.wrap(new byte[] {' '})); // a byte every two seconds
          }
        } catch (IOException e) {
          rest.position(rest.limit()); // closed by the server: nothing more to send
        }
      }
      if (round == 2) {
        heapDuring = usedHeapAfterGc();
      }
      long started = System.nanoTime();
      app.send("GET", "/health/live", null).assertStatus(200);
      app.get("/v1/tenants/" + tenant, key).assertStatus(200);
      slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
      Thread.sleep(1_000);
    }
    int answered401 = 0;
    for (int i = 0; i < TRICKLING; i++) {
      if (received[i].toString().startsWith("HTTP/1.1 401")) {
        answered401++;
      }
      channels.get(i).close();
    }
    System.out.printf("ConnectionBoundsTest: %d trickling unauthenticated POSTs; heap used %d MB before, "
        + "%d MB with them open; %d answered 401; slowest pair of normal requests %d ms%n",
        TRICKLING, heapBefore / MB, heapDuring / MB, answered401, slowest);
    assertThat(heapDuring - heapBefore).as("heap growth with %d trickling bodies", TRICKLING)
        .isLessThan(100 * MB);
    assertThat(answered401).as("connections answered 401 without their body").isEqualTo(TRICKLING);
    assertThat(slowest).as("ms for /health/live and an authenticated GET meanwhile").isLessThan(5_000);
  }

  @Test
  @DisplayName("a POST without an API key gets 401 api_key_missing from its head alone, before any "
      + "body byte is sent")
  void unauthorizedBeforeBody() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          + "application/json\r\nContent-Length: 5000000\r\n\r\n").getBytes(ISO_8859_1));
      Answer answer = RawHttp.read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(401);
      assertThat(Envelope.code(answer)).isEqualTo("api_key_missing");
      assertThat(answer.requestId()).startsWith("req_");
    }
    try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("PUT /admin/v1/keys/key_x/ip-allowlist HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer not-a-jwt\r\nContent-Type: application/json\r\nContent-Length: 5000000"
          + "\r\n\r\n").getBytes(ISO_8859_1));
      Answer answer = RawHttp.read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(401);
      assertThat(Envelope.code(answer)).isEqualTo("admin_token_invalid");
    }
  }

  @Test
  @DisplayName("after a 401 to a POST with a small or a 4 MB body, the same connection serves the next "
      + "request")
  void connectionUsableAfterUnreadBody() throws Exception {
    for (int size : new int[] {40, 4 * 1024 * 1024}) {
      byte[] body = new byte[size];
      Arrays.fill(body, (byte) ' ');
      try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        Thread writer = new Thread(() -> {
          try {
            out.write(("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + BAD_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n")
                .getBytes(ISO_8859_1));
            out.write(body);
          } catch (IOException e) {
            // judged by what the reader sees
          }
        });
        writer.start();
        InputStream in = socket.getInputStream();
        Answer first = RawHttp.read(in);
        assertThat(first.status()).as("answer to a %d-byte body", size).isEqualTo(401);
        assertThat(Envelope.code(first)).isEqualTo("api_key_invalid");
        writer.join(10_000);
        out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(ISO_8859_1));
        Answer second = RawHttp.read(in);
        assertThat(second).as("the next answer on the connection after a %d-byte body", size).isNotNull();
        assertThat(second.status()).isEqualTo(200);
      }
    }
  }

  @Test
  @DisplayName("an authenticated body trickled a byte every half second is cut at the body deadline")
  void bodyDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(ISO_8859_1));
      socket.setSoTimeout(500);
      InputStream in = socket.getInputStream();
      long started = System.nanoTime();
      boolean closed = false;
      while (!closed && System.nanoTime() - started < 20_000_000_000L) {
        try {
          closed = in.read() < 0;
        } catch (SocketTimeoutException e) {
          try {
            out.write(' ');
          } catch (IOException reset) {
            closed = true;
          }
        } catch (IOException e) {
          closed = true;
        }
      }
      long seconds = (System.nanoTime() - started) / 1_000_000_000;
      assertThat(closed).as("the server closed the trickling body's connection").isTrue();
      assertThat(seconds).as("seconds until closed (deadline %d s)", BODY_TIMEOUT_SECONDS)
          .isLessThan(BODY_TIMEOUT_SECONDS + 8);
    }
    app.get("/v1/tenants/" + tenant, key).assertStatus(200);
  }

  @Test
  @DisplayName("past the per-client or the node-wide connection cap a new connection is closed at once; "
      + "once one closes, the next is served")
  void connectionCaps(Vertx vertx) throws Exception {
    for (Map<String, String> caps : List.of(
        Map.of("LEARNCOIN_HTTP_MAX_CONNECTIONS_PER_CLIENT", "3"),
        Map.of("LEARNCOIN_HTTP_MAX_CONNECTIONS", "3"))) {
      try (TestGateway capped = TestGateway.start(vertx, caps)) {
        int port = capped.gateway().port();
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Socket socket = new Socket("127.0.0.1", port);
          held.add(socket);
          socket.setSoTimeout(5_000);
          socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              .getBytes(ISO_8859_1));
          assertThat(RawHttp.read(socket.getInputStream()).status()).as("%s, connection %d", caps, i + 1)
              .isEqualTo(200);
        }
        try (Socket refused = new Socket("127.0.0.1", port)) {
          refused.setSoTimeout(5_000);
          assertThat(closedUnanswered(refused)).as("%s, connection 4", caps).isTrue();
        }
        held.remove(0).close();
        Answer after = null;
        for (int attempt = 0; attempt < 20 && after == null; attempt++) {
          Thread.sleep(100); // the server sees the close a moment later
          try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n").getBytes(ISO_8859_1));
            after = RawHttp.read(socket.getInputStream());
          } catch (IOException e) {
            after = null;
          }
        }
        assertThat(after).as("%s, a connection after one of the three closed", caps).isNotNull();
        assertThat(after.status()).isEqualTo(200);
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  /** True when the server closes the connection without answering a request sent on it. */
  private static boolean closedUnanswered(Socket socket) {
    try {
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(ISO_8859_1));
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static void readInto(SocketChannel channel, StringBuilder received) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4_096);
    int n = channel.read(buffer);
    if (n > 0 && received.length() < 64) {
      received.append(new String(buffer.array(), 0, n, ISO_8859_1));
    } else if (n < 0) {
      throw new IOException("closed");
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
