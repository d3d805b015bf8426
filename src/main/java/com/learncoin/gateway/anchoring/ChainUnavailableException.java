package com.learncoin.gateway.anchoring;

/**
 * The chain cannot be used now: the node is unreachable or slow, or it answered with an error that
 * may clear by itself (rate limits, internal errors, an underfunded wallet). Retry later with the
 * same arguments; nothing was lost.
 */
public final class ChainUnavailableException extends RuntimeException {
  public ChainUnavailableException(String message) {
    super(message);
  }

  public ChainUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
