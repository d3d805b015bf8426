package com.learncoin.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes to stdout in batches, from its own thread: for logs written on every request (the
 * access log). Logback's AsyncAppender wakes its thread for each event and writes each line with
 * its own system call; at tens of thousands of requests a second that cost a fifth of a read
 * request's CPU. Here a request only adds its event to a lock-free queue, and the writer wakes
 * every {@code flushMillis}, encodes what is queued and writes it in a few large writes.
 *
 * <p>Like AsyncAppender with {@code neverBlock}: when the queue holds {@code queueSize} events,
 * further events are dropped (and counted in one line once the writer catches up) rather than
 * making requests wait. {@link #stop()} writes everything still queued.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final int CHUNK = 64 * 1024;

  private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK * 2);
  private final OutputStream target;
  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 65_536;
  private int flushMillis = 50;
  private volatile Thread writer;

  /** Logback's constructor: stdout. */
  public BatchingConsoleAppender() {
    this(null);
  }

  /** Tests: any stream; {@code null} means {@link System#out} as it is at start. */
  BatchingConsoleAppender(OutputStream target) {
    this.target = target;
  }

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public void setFlushMillis(int flushMillis) {
    this.flushMillis = flushMillis;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("No encoder set for the appender named [" + name + "].");
      return;
    }
    if (queueSize < 1 || flushMillis < 1) {
      addError("queueSize and flushMillis must be positive for [" + name + "].");
      return;
    }
    OutputStream out = target != null ? target : System.out;
    Thread thread = new Thread(() -> writeUntilStopped(out), "log-writer-" + name);
    thread.setDaemon(true);
    writer = thread;
    super.start();
    thread.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (queued.incrementAndGet() > queueSize) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    // What the encoder may read later on the writer thread is fixed now (thread name, MDC).
    event.prepareForDeferredProcessing();
    queue.add(event);
  }

  @Override
  public void stop() {
    Thread thread = writer;
    if (!isStarted() || thread == null) {
      return;
    }
    super.stop();
    writer = null;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeUntilStopped(OutputStream out) {
    long pause = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    while (writer != null) {
      LockSupport.parkNanos(this, pause);
      writeQueued(out);
    }
    writeQueued(out);
  }

  /** The only thread that writes; {@code chunk} is its own. */
  private void writeQueued(OutputStream out) {
    try {
      for (ILoggingEvent event = queue.poll(); event != null; event = queue.poll()) {
        queued.decrementAndGet();
        chunk.write(encoder.encode(event));
        if (chunk.size() >= CHUNK) {
          writeChunk(out);
        }
      }
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        chunk.write(("{\"level\":\"WARN\",\"logger\":\"" + name + "\",\"message\":\"dropped "
            + lost + " log lines: the writer could not keep up\"}\n").getBytes());
      }
      writeChunk(out);
    } catch (IOException | RuntimeException e) {
      chunk.reset();
      addError("Could not write log lines for [" + name + "]", e);
    }
  }

  private void writeChunk(OutputStream out) throws IOException {
    if (chunk.size() == 0) {
      return;
    }
    // One write for the whole chunk; System.out serialises it with every other writer of stdout.
    chunk.writeTo(out);
    out.flush();
    chunk.reset();
  }
}
