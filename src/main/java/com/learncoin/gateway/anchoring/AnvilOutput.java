package com.learncoin.gateway.anchoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads everything anvil prints, for its whole life: a full pipe would block anvil mid-write and
 * freeze the chain. Keeps the last lines for error messages and picks the port out of
 * "Listening on 127.0.0.1:PORT", which is how a node started on port 0 tells where it is.
 */
final class AnvilOutput {
  private static final Pattern LISTENING = Pattern.compile("Listening on \\S*:(\\d+)");
  private static final int KEPT_LINES = 40;

  private final Deque<String> lastLines = new ArrayDeque<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private AnvilOutput(Process process) {
    this.reader = new Thread(() -> read(process), "anvil-output-" + process.pid());
    reader.setDaemon(true);
  }

  static AnvilOutput drain(Process process) {
    AnvilOutput output = new AnvilOutput(process);
    output.reader.start();
    return output;
  }

  /** The port anvil listens on; IllegalStateException if it exits or says nothing in time. */
  int awaitPort(Duration timeout) {
    try {
      return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("anvil did not start listening within " + timeout.toSeconds()
          + " s; its last output:\n" + lastLines(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for anvil", e);
    }
  }

  synchronized String lastLines() {
    return String.join("\n", lastLines);
  }

  void awaitEnd(Duration timeout) {
    try {
      reader.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read(Process process) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        keep(line);
        Matcher listening = LISTENING.matcher(line);
        if (!port.isDone() && listening.find()) {
          port.complete(Integer.parseInt(listening.group(1)));
        }
      }
    } catch (IOException closed) {
      // The stream closes when the process dies or is destroyed: nothing more to read.
    }
    port.completeExceptionally(new IllegalStateException(
        "anvil exited before listening; its last output:\n" + lastLines()));
  }

  private synchronized void keep(String line) {
    if (lastLines.size() == KEPT_LINES) {
      lastLines.removeFirst();
    }
    lastLines.addLast(line);
  }
}
