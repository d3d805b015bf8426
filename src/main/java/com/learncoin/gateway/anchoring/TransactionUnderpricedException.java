package com.learncoin.gateway.anchoring;

/**
 * The node refused a signed transaction for its fees: under the block's base fee, or not enough
 * above the one it would replace. The chain is working and the transaction may still be mined
 * once fees come down; it is replaced with higher fees when it stays unmined. Not an outage: it
 * does not open the chain's circuit breaker.
 */
public final class TransactionUnderpricedException extends RuntimeException {
  public TransactionUnderpricedException(String message) {
    super(message);
  }
}
