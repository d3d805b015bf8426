package com.learncoin.gateway.net;

import com.learncoin.gateway.net.Cidr;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy, in which case the
 * right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy.
 */
public final class ClientAddress {
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
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (Cidr.literal(hop).isEmpty()) {
        return peer;
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  private boolean isTrusted(String address) {
    Optional<byte[]> bytes = Cidr.literal(address);
    return bytes.isPresent() && trustedProxies.stream().anyMatch(c -> c.contains(bytes.get()));
  }
}
