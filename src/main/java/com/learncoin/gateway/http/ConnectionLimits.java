package com.learncoin.gateway.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the open connections of the node and of each client address (the socket peer: behind a
 * proxy that is the proxy). One instance per node, shared by the HTTP verticles of every event
 * loop, hence the atomic counters. A connection past either cap is closed before anything is read
 * from it; while it closes it still counts, so a flood of refused connections cannot slip past.
 */
public final class ConnectionLimits {
  private final int maxOpen;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

  public ConnectionLimits(int maxOpen, int maxPerClient) {
    this.maxOpen = maxOpen;
    this.maxPerClient = maxPerClient;
  }

  /** Counts a new connection; false when it is over a cap (the caller closes it). */
  public boolean admit(HttpConnection connection) {
    int total = open.incrementAndGet();
    int ofClient = perClient.merge(client(connection), 1, Integer::sum);
    return total <= maxOpen && ofClient <= maxPerClient;
  }

  /** For every connection {@link #admit} counted, admitted or not, once it has closed. */
  public void closed(HttpConnection connection) {
    open.decrementAndGet();
    perClient.computeIfPresent(client(connection), (address, n) -> n == 1 ? null : n - 1);
  }

  /** Connections open now (for tests and metrics). */
  public int open() {
    return open.get();
  }

  private static String client(HttpConnection connection) {
    SocketAddress peer = connection.remoteAddress();
    return peer == null || peer.hostAddress() == null ? "" : peer.hostAddress();
  }
}
