package com.learncoin.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Envelope.Answer;
import com.learncoin.gateway.support.Envelope;
import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.RawHttp;
import com.learncoin.gateway.support.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

// All test clients share 127.0.0.1: the per-client cap is raised so 500 of them stand for many clients.
@GatewayTest(env = {"LEARNCOIN_HTTP_HEADER_TIMEOUT_SECONDS=" + SlowClientTest.HEADER_TIMEOUT_SECONDS,
    "LEARNCOIN_HTTP_MAX_CONNECTIONS_PER_CLIENT=2000"})
@DisplayName("Slow and oversized clients are shed while others are served")
class SlowClientTest {
  static final int HEADER_TIMEOUT_SECONDS = 2;
  private static final int SLOW_CONNECTIONS = 500;
  private static final long MB = 1024 * 1024;
  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;

  @Test
  @DisplayName("500 connections sending their headers one byte a second are all closed after the header "
      + "timeout, normal clients are served meanwhile, and the heap does not grow with them")
  void slowloris() throws Exception {
    long heapBefore = usedHeapAfterGc();
    List<SocketChannel> slow = new ArrayList<>();
    for (int i = 0; i < SLOW_CONNECTIONS; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", app.gateway().port()));
      channel.write(ByteBuffer.wrap(("GET /v1/tenants/" + tenant + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + key + "\r\nX-Slow: ").getBytes(ISO_8859_1)));
      channel.configureBlocking(false);
      slow.add(channel);
    }
    long heapDuring = usedHeapAfterGc();
    long started = System.nanoTime();
    int served = 0;
    int open = slow.size();
    // each second: one more header byte on every open connection, and one normal request
    for (int second = 0; open > 0 && second < 6 * HEADER_TIMEOUT_SECONDS + 10; second++) {
      open = 0;
      for (SocketChannel channel : slow) {
        if (channel.isOpen() && !closedByServer(channel)) {
          open++;
        }
      }
      for (int i = 0; i < 10; i++) {
        app.get("/v1/tenants/" + tenant, key).assertStatus(200);
        app.send("GET", "/health/live", null).assertStatus(200);
        served += 2;
      }
      Thread.sleep(1_000);
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000;
    for (SocketChannel channel : slow) {
      channel.close();
    }
    long heapAfter = usedHeapAfterGc();
    System.out.printf("SlowClientTest: %d slow connections, all closed by the server within %d s "
        + "(header timeout %d s); %d normal requests served meanwhile; heap used %d MB before, %d MB with "
        + "the connections open, %d MB after%n", SLOW_CONNECTIONS, seconds, HEADER_TIMEOUT_SECONDS, served,
        heapBefore / MB, heapDuring / MB, heapAfter / MB);
    assertThat(open).as("slow connections the server still holds").isZero();
    assertThat(served).isGreaterThanOrEqualTo(20 * HEADER_TIMEOUT_SECONDS);
    assertThat(heapDuring - heapBefore).as("heap growth with %d slow connections", SLOW_CONNECTIONS)
        .isLessThan(64 * MB);
    assertThat(heapAfter - heapBefore).as("heap growth after the slow connections").isLessThan(64 * MB);
    app.get("/v1/tenants/" + tenant, key).assertStatus(200);
  }

  @Test
  @DisplayName("on a kept-alive connection the next request head must also arrive in time")
  void slowSecondRequest() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(ISO_8859_1));
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(5_000);
      assertThat(RawHttp.read(in).status()).isEqualTo(200);
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nX-Slow: ".getBytes(ISO_8859_1));
      socket.setSoTimeout(500);
      boolean closed = false;
      for (int i = 0; i < 4 * (3 * HEADER_TIMEOUT_SECONDS + 5) && !closed; i++) {
        try {
          closed = in.read() < 0;
        } catch (SocketTimeoutException e) {
          socket.getOutputStream().write('a');
        } catch (IOException e) {
          closed = true; // reset by the server
        }
      }
      assertThat(closed).as("the server closed the connection of the slow second request").isTrue();
    }
  }

  @Test
  @DisplayName("a header over 16 KiB, 2,000 headers, or a request line over 8 KiB get 413 payload_too_large "
      + "in the contract envelope; a 9 KiB header within the total limit is served")
  void oversizedHeads() {
    String get = "GET /v1/tenants/" + tenant + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
        + "\r\nConnection: close\r\n";
    for (String request : new String[] {get + "X-Big: " + "b".repeat(20_000) + "\r\n\r\n",
        get + "X-Many: 1234567890\r\n".repeat(2_000) + "\r\n",
        "GET /v1/tenants/" + "t".repeat(9 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"}) {
      Answer answer = RawHttp.exchange(app.gateway().port(), request.getBytes(ISO_8859_1));
      assertThat(answer).as("answer to %s", RawHttp.prefix(request.getBytes(ISO_8859_1))).isNotNull();
      assertThat(answer.status()).isEqualTo(413);
      assertThat(Envelope.problem(answer)).isNull();
      assertThat(Envelope.code(answer)).isEqualTo("payload_too_large");
    }
    Answer within = RawHttp.exchange(app.gateway().port(),
        (get + "X-Big: " + "b".repeat(9 * 1024) + "\r\n\r\n").getBytes(ISO_8859_1));
    assertThat(within.status()).isEqualTo(200);
  }

  /** Reads what the server sent; true once it closed (end of stream or reset). */
  private static boolean closedByServer(SocketChannel channel) {
    ByteBuffer buffer = ByteBuffer.allocate(4_096);
    try {
      if (channel.read(buffer) < 0) {
        return true;
      }
      channel.write(ByteBuffer.wrap(new byte[] {'a'}));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
