package com.learncoin.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped fat jar ({@code target/learncoin-gateway.jar}, built by {@code mvn package}) run as
 * a separate process, the way an operator runs it: configuration from the environment, the port
 * read from its log. Each incarnation logs to a file of its own, kept for the post-mortem.
 */
public final class GatewayProcess {
  private static final Path JAR = Path.of("target", "learncoin-gateway.jar");
  private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final Path log;
  private final int port;
  private final long startMillis;

  private GatewayProcess(Process process, Path log, int port, long startMillis) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.startMillis = startMillis;
  }

  /** Starts the jar with {@code env} as its only LEARNCOIN_* settings; returns when it listens. */
  public static GatewayProcess start(Map<String, String> env, Path log) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run 'mvn package' (failsafe runs the "
          + "*IT tests after it)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx768m", "-jar",
        JAR.toString(), "run")).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("LEARNCOIN_"));
    builder.environment().putAll(env);
    Process process;
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long started = System.nanoTime();
    long deadline = started + START_TIMEOUT.toNanos();
    while (true) {
      Matcher listening = LISTENING.matcher(read(log));
      if (listening.find()) {
        return new GatewayProcess(process, log, Integer.parseInt(listening.group(1)),
            (System.nanoTime() - started) / 1_000_000);
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the gateway did not start listening; its log " + log
            + ":\n" + read(log));
      }
      sleep(25);
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** From exec to "listening" in the log. */
  public long startMillis() {
    return startMillis;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** SIGKILL, as a power cut or the OOM killer would: no shutdown hook, no flush. Exit 137. */
  public int kill() {
    process.destroyForcibly();
    return awaitExit();
  }

  /** SIGTERM, as systemd stops it: in-flight requests finish, the audit log is flushed. */
  public int stop() {
    process.destroy();
    return awaitExit();
  }

  private int awaitExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path log) {
    try {
      // Bytes, not readString: the last character may be half written.
      return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
