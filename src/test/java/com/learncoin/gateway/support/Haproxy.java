package com.learncoin.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's HAProxy in front of gateway nodes, as scripts/cluster.sh configures it (round robin,
 * {@code option httpchk GET /health/ready} every second, a node out after 2 failed checks), run in
 * the foreground as a child process, everything on 127.0.0.1. Its stats page says which nodes it
 * counts as UP. A machine without haproxy fails the test that needs it (scripts/test.sh installs
 * it), never skips it.
 */
public final class Haproxy implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final int statsPort;

  private Haproxy(Process process, int port, int statsPort) {
    this.process = process;
    this.port = port;
    this.statsPort = statsPort;
  }

  /** A free loopback port, for a URL the nodes must know before HAProxy starts. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts HAProxy on {@code port} balancing over {@code nodePorts} (servers node1, node2, ...);
   * config and log in {@code dir}. Server timeouts leave room for a request that waits out a dead
   * node's idempotency claim (60 s).
   */
  public static Haproxy start(int port, List<Integer> nodePorts, Path dir) throws IOException {
    int statsPort = freePort();
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < nodePorts.size(); i++) {
      servers.append("    server node").append(i + 1).append(" 127.0.0.1:")
          .append(nodePorts.get(i)).append(" check\n");
    }
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, """
        global
            maxconn 1024
        defaults
            mode http
            timeout connect 2s
            timeout client 120s
            timeout server 120s
            option redispatch
            retries 2
        frontend learncoin
            bind 127.0.0.1:%d
            default_backend gateways
        backend gateways
            balance roundrobin
            option httpchk GET /health/ready
            http-check expect status 200
            default-server inter 1s fall 2 rise 2
        %s
        listen stats
            bind 127.0.0.1:%d
            stats enable
            stats uri /stats
        """.formatted(port, servers, statsPort));
    Process process = new ProcessBuilder(binary().toString(), "-db", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    Haproxy haproxy = new Haproxy(process, port, statsPort);
    Eventually.await("HAProxy serving its stats (log: " + dir.resolve("haproxy.log") + ")",
        Duration.ofSeconds(20), () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("haproxy exited " + process.exitValue() + "; log "
                + dir.resolve("haproxy.log"));
          }
          return !haproxy.servers().isEmpty();
        });
    return haproxy;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Each server's status as HAProxy's stats say (UP, DOWN, "UP 1/2", ...); empty when unread. */
  public Map<String, String> servers() {
    return stat("status");
  }

  /** One column of the stats (HAProxy's management guide, "CSV format") for each server. */
  public Map<String, String> stat(String column) {
    Map<String, String> values = new HashMap<>();
    String csv;
    try {
      csv = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort
          + "/stats;csv")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return values;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<String> lines = csv.lines().toList();
    if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
      return values;
    }
    List<String> header = Arrays.asList(lines.get(0).substring(2).split(","));
    int proxy = header.indexOf("pxname");
    int server = header.indexOf("svname");
    int wanted = header.indexOf(column);
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells.length > wanted && cells[proxy].equals("gateways")
          && cells[server].startsWith("node")) {
        values.put(cells[server], cells[wanted]);
      }
    }
    return values;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** haproxy on PATH or in /usr/sbin (not on a non-root PATH); missing fails the caller. */
  private static Path binary() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Arrays.stream(path.split(":")), Stream.of("/usr/sbin", "/usr/local/sbin"))
        .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "haproxy"))
        .filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("haproxy is not installed: "
            + "apt-get install -y haproxy (scripts/test.sh installs it when missing)"));
  }
}
