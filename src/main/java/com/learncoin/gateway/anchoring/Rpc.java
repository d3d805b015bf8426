package com.learncoin.gateway.anchoring;

import java.io.IOException;
import java.net.URI;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

/** Sends web3j requests, turning every "could not get an answer" into ChainUnavailableException. */
final class Rpc {
  private Rpc() {}

  /** The node's answer, which may carry a JSON-RPC error; transport failures are thrown. */
  static <T extends Response<?>> T call(Request<?, T> request, String node) {
    try {
      return request.send();
    } catch (IOException | ClientConnectionException e) {
      // IOException covers refused connections, timeouts and unparseable bodies (Jackson's
      // exceptions are IOExceptions); ClientConnectionException is web3j's non-2xx HTTP status.
      throw new ChainUnavailableException(
          request.getMethod() + " to " + node + " failed: " + e.getMessage(), e);
    }
  }

  /** The node's answer without error; a JSON-RPC error on a read means "ask again later". */
  static <T extends Response<?>> T require(Request<?, T> request, String node) {
    T response = call(request, node);
    if (response.hasError()) {
      throw new ChainUnavailableException(request.getMethod() + " to " + node + " answered "
          + response.getError().getCode() + " " + response.getError().getMessage());
    }
    return response;
  }

  /**
   * Scheme, host and port only: provider URLs usually carry an API key in the path or query, and
   * these strings end up in logs and in a batch's last_error.
   */
  static String describe(String rpcUrl) {
    try {
      URI uri = URI.create(rpcUrl);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return "the configured node";
    }
  }
}
