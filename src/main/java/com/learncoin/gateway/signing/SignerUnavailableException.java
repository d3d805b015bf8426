package com.learncoin.gateway.signing;

/** The signer could not sign now (KMS unavailable, timed out, integrity check failed): retry later. */
public final class SignerUnavailableException extends RuntimeException {
  public SignerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
