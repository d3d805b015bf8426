package com.learncoin.gateway.anchoring;

import java.math.BigInteger;

/**
 * One anchoring transaction, signed but perhaps not yet sent. The hash is known before broadcast, so
 * the caller stores this record first and, after a crash, sends the very same bytes again instead
 * of signing a second transaction for the same batch.
 *
 * @param txHash "0x" + keccak-256 of {@code rawTransaction}, as the chain will name it
 * @param rawTransaction "0x" + the signed EIP-1559 (type 2) transaction, ready for
 *     eth_sendRawTransaction
 * @param nonce the wallet nonce the transaction uses
 */
public record SignedAnchor(String txHash, String rawTransaction, BigInteger nonce) {}
