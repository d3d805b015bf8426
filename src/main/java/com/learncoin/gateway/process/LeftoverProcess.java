package com.learncoin.gateway.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The children the gateway starts under its data directory (embedded PostgreSQL, local anvil)
 * outlive a gateway killed with SIGKILL, and would then hold the data directory or the chain state
 * against the next start. Each one's pid is kept in a file there; the next start stops a process
 * that is still alive under that pid with SIGTERM, which both shut down cleanly on (PostgreSQL
 * checkpoints, anvil writes its state file).
 */
public final class LeftoverProcess {
  private static final Logger LOG = LoggerFactory.getLogger(LeftoverProcess.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private LeftoverProcess() {}

  /** Records {@code pid} in {@code pidFile} (first line), replacing what was there. */
  public static void record(Path pidFile, long pid) {
    try {
      Files.writeString(pidFile, pid + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + pidFile, e);
    }
  }

  /**
   * Stops the process named by the first line of {@code pidFile} if it is alive and its executable
   * is {@code executableName} (a pid reused by an unrelated process is left alone).
   */
  public static void stop(Path pidFile, String executableName) {
    Optional<ProcessHandle> leftover = readPid(pidFile).flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString())
            .filter(executableName::equals).isPresent());
    leftover.ifPresent(process -> {
      LOG.warn("{} (pid {}) was left running by a gateway that did not stop cleanly; stopping it",
          executableName, process.pid());
      process.destroy();
      try {
        process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping pid " + process.pid(), e);
      } catch (Exception e) {
        throw new IllegalStateException(executableName + " (pid " + process.pid()
            + ") left by an earlier start did not stop within " + STOP_TIMEOUT.toSeconds()
            + " s; stop it and start again", e);
      }
    });
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst()
          .orElse("").trim();
      return Optional.of(Long.parseLong(first));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
