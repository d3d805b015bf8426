package com.learncoin.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The batching console appender writes every line once, in few writes, never blocking")
class BatchingConsoleAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("learncoin.access");

  BatchingConsoleAppenderTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  /** Counts the writes it is given, as stdout would see them as system calls. */
  private static final class CountingStream extends ByteArrayOutputStream {
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      writes.incrementAndGet();
      super.write(bytes, offset, length);
    }

    List<String> lines() {
      return Arrays.asList(toString(StandardCharsets.UTF_8).split("\n"));
    }
  }

  private BatchingConsoleAppender appender(CountingStream out, int queueSize, int flushMillis) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    BatchingConsoleAppender appender = new BatchingConsoleAppender(out);
    appender.setContext(context);
    appender.setName("TEST");
    appender.setEncoder(encoder);
    appender.setQueueSize(queueSize);
    appender.setFlushMillis(flushMillis);
    appender.start();
    assertThat(appender.isStarted()).isTrue();
    return appender;
  }

  private LoggingEvent event(String message) {
    return new LoggingEvent(Logger.FQCN, logger, Level.INFO, message, null, null);
  }

  @Test
  @DisplayName("20,000 lines from four threads: each written once, each thread's in order, on stop at the latest")
  void everyLineOnce() throws InterruptedException {
    CountingStream out = new CountingStream();
    // Flushes every 200 ms: however slow the machine, the writes counted are the 64 KiB chunks.
    BatchingConsoleAppender appender = appender(out, 65_536, 200);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 5_000; i++) {
          appender.doAppend(event(thread + ":" + i));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    appender.stop();

    List<String> lines = out.lines();
    assertThat(lines).hasSize(20_000).doesNotHaveDuplicates();
    for (int t = 0; t < 4; t++) {
      String prefix = t + ":";
      assertThat(lines.stream().filter(line -> line.startsWith(prefix))
          .map(line -> Integer.parseInt(line.substring(prefix.length()))).toList())
          .isSortedAccordingTo(Integer::compare).hasSize(5_000);
    }
    // 20,000 lines of ~7 bytes are a few 64 KiB writes, not 20,000.
    assertThat(out.writes.get()).isLessThan(100);
  }

  @Test
  @DisplayName("a full queue drops lines instead of blocking, and says how many it dropped")
  void dropsWhenFull() {
    CountingStream out = new CountingStream();
    BatchingConsoleAppender appender = appender(out, 10, 60_000);
    for (int i = 0; i < 25; i++) {
      appender.doAppend(event("line " + i));
    }
    appender.stop();

    List<String> lines = out.lines();
    assertThat(lines.subList(0, 10)).containsExactly("line 0", "line 1", "line 2", "line 3",
        "line 4", "line 5", "line 6", "line 7", "line 8", "line 9");
    assertThat(lines).hasSize(11);
    assertThat(lines.get(10)).contains("\"level\":\"WARN\"")
        .contains("dropped 15 log lines");
  }

  @Test
  @DisplayName("lines appended while running reach the stream within the flush interval")
  void flushesWhileRunning() throws InterruptedException {
    CountingStream out = new CountingStream();
    BatchingConsoleAppender appender = appender(out, 100, 20);
    appender.doAppend(event("first"));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (out.size() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(out.lines()).containsExactly("first");
    appender.stop();
  }

  @Test
  @DisplayName("without an encoder it does not start, and says why")
  void needsAnEncoder() {
    BatchingConsoleAppender appender = new BatchingConsoleAppender(new CountingStream());
    appender.setContext(context);
    appender.setName("BROKEN");
    appender.start();
    assertThat(appender.isStarted()).isFalse();
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anyMatch(status -> status.getMessage().contains("No encoder set"));
  }
}
