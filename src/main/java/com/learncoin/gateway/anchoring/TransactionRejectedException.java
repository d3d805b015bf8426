package com.learncoin.gateway.anchoring;

/**
 * The node refused a signed transaction for a reason that cannot clear: its nonce was already used
 * by another transaction that is mined, or the transaction itself is invalid. That signed
 * transaction can never be mined, so it is safe (and necessary) to sign the batch's root again with
 * a fresh {@link ChainClient#pendingNonce()}. Any doubt is reported as
 * {@link ChainUnavailableException} instead, since re-signing a transaction that might still land
 * would anchor the batch twice.
 */
public final class TransactionRejectedException extends RuntimeException {
  public TransactionRejectedException(String message) {
    super(message);
  }
}
