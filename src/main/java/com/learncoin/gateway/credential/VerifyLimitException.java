package com.learncoin.gateway.credential;

/**
 * A document from outside is past a {@link VerifyLimits} bound; the message names the document
 * (a JSON path) and the bound, for the client.
 */
public final class VerifyLimitException extends RuntimeException {
  VerifyLimitException(String message) {
    super(message, null, false, false);
  }
}
