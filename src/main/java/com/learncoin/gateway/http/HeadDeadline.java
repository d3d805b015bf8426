package com.learncoin.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes a connection that has not delivered a whole request head within the deadline of opening,
 * or of its previous response ending (slowloris). The idle timeout alone cannot do it: a client
 * that sends one header byte a second is never idle.
 *
 * <p>One instance per HTTP verticle: its connections and requests all run on that verticle's event
 * loop, so the map needs no locking. A timer per connection looks at it once per deadline; a
 * connection that finished its last response is closed at the second look without a new request,
 * so the next head gets between one and two deadlines.
 */
public final class HeadDeadline {
  private final Vertx vertx;
  private final long millis;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  public HeadDeadline(Vertx vertx, int seconds) {
    this.vertx = vertx;
    this.millis = seconds * 1_000L;
  }

  /** For {@code HttpServer.connectionHandler}: starts the clock of a new connection. */
  public void opened(HttpConnection connection) {
    Watch watch = new Watch();
    watches.put(connection, watch);
    watch.timer = vertx.setTimer(millis, t -> look(connection, watch));
  }

  /** From the connection's close handler (one handler per connection: the verticle owns it). */
  public void closed(HttpConnection connection) {
    Watch watch = watches.remove(connection);
    if (watch != null) {
      vertx.cancelTimer(watch.timer);
    }
  }

  /** A request head arrived (valid or not): the connection is doing real work. */
  public void arrived(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.last = request;
    }
  }

  private void look(HttpConnection connection, Watch watch) {
    HttpServerRequest last = watch.last;
    boolean waiting = last == null || last.response().ended() && last == watch.seenEnded;
    if (waiting) {
      connection.close(); // no head within the deadline: a slow or silent client holds a socket
      return;
    }
    if (last.response().ended()) {
      watch.seenEnded = last;
    }
    watch.timer = vertx.setTimer(millis, t -> look(connection, watch));
  }

  private static final class Watch {
    long timer;
    HttpServerRequest last;
    HttpServerRequest seenEnded;
  }
}
