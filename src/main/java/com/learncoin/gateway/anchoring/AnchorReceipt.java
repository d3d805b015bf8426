package com.learncoin.gateway.anchoring;

/**
 * A mined anchoring transaction.
 *
 * @param txHash the transaction hash, "0x" + 64 hex digits
 * @param blockNumber the block that includes it; confirmations = current block - this + 1
 * @param success the transaction's execution status (a plain transfer with data only fails if
 *     something is badly wrong, such as a gas limit below the intrinsic cost)
 */
public record AnchorReceipt(String txHash, long blockNumber, boolean success) {}
