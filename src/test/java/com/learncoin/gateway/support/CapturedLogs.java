package com.learncoin.gateway.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The gateway's log lines while open, encoded by the configured JSON encoder exactly as they
 * would be written, with the gateway's and the access log's INFO lines turned on.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final List<String> LOGGERS = List.of("com.learncoin", "learncoin.access");

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Encoder<ILoggingEvent> encoder;
  private final Encoder<ILoggingEvent> accessEncoder;
  private final Logger root;
  private final Logger access;

  @SuppressWarnings("unchecked")
  public CapturedLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    access = context.getLogger("learncoin.access");
    encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("JSON")).getEncoder();
    accessEncoder = ((OutputStreamAppender<ILoggingEvent>) access.getAppender("ACCESS_LINES"))
        .getEncoder();
    setContext(context);
    start();
    root.addAppender(this);
    access.addAppender(this);
    LOGGERS.forEach(name -> context.getLogger(name).setLevel(Level.INFO));
  }

  @Override
  protected void append(ILoggingEvent event) {
    Encoder<ILoggingEvent> lineEncoder =
        event.getLoggerName().equals(access.getName()) ? accessEncoder : encoder;
    String text = new String(lineEncoder.encode(event), StandardCharsets.UTF_8);
    if (!text.endsWith("\n") || text.indexOf('\n') != text.length() - 1) {
      throw new AssertionError("not one line: " + text);
    }
    lines.add(text.substring(0, text.length() - 1));
  }

  /** Every line so far, exactly as written. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Every line so far, parsed: fails if one is not a JSON object. */
  public List<JsonObject> json() {
    return lines.stream().map(JsonObject::new).toList();
  }

  @Override
  public void close() {
    root.detachAppender(this);
    access.detachAppender(this);
    stop();
    LoggerContext context = (LoggerContext) getContext();
    LOGGERS.forEach(name -> context.getLogger(name).setLevel(null));
  }
}
