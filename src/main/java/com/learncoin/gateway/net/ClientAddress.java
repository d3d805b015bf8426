package com.learncoin.gateway.net;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy, in which case the
 * right-most {@code X-Forwarded-For} hop that is not itself a trusted proxy. {@code Forwarded}
 * (RFC 7239) is not read.
 */
public final class ClientAddress {
  /** The client of a request whose forwarding chain has an entry that is not an IP address. */
  public static final String UNKNOWN = "unknown";

  private final List<Cidr> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(p -> Cidr.parse(p).orElseThrow()).toList();
  }

  public String of(HttpServerRequest request) {
    // The connection's peer: the router's request wrapper would parse Forwarded headers first,
    // which the trusted-proxy rule below does itself (a measurable cost on every request).
    SocketAddress socket = request.connection().remoteAddress();
    String peer = socket == null ? "" : socket.hostAddress();
    if (trustedProxies.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    // Every line: a proxy such as HAProxy appends its own line after any the client sent.
    return of(peer, request.headers().getAll("X-Forwarded-For"));
  }

  /**
   * The client behind a trusted {@code peer}, from every X-Forwarded-For line in order, combined
   * as one list (RFC 7230 §3.2.2). Walking from the right, trusted hops are skipped; the first
   * untrusted one is the client. An entry that is not an IP literal (empty, a name, a port,
   * brackets) ends the walk with {@link #UNKNOWN}: the hop behind it is unknown, so no allowlist
   * matches it (answering with the proxy's own address would let a client pass as the proxy).
   */
  String of(String peer, List<String> lines) {
    if (lines.isEmpty()) {
      return peer;
    }
    String[] hops = String.join(",", lines).split(",", -1);
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (Cidr.literal(hop).isEmpty()) {
        return UNKNOWN;
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return hops[0].trim(); // trusted all the way: the first proxy sent it
  }

  private boolean isTrusted(String address) {
    Optional<byte[]> bytes = Cidr.literal(address);
    return bytes.isPresent() && trustedProxies.stream().anyMatch(c -> c.contains(bytes.get()));
  }
}
