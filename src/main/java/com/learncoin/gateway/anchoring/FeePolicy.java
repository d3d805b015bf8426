package com.learncoin.gateway.anchoring;

import java.math.BigInteger;
import java.util.Optional;
import org.web3j.crypto.transaction.type.Transaction1559;

/**
 * The EIP-1559 fees of an anchoring transaction: the node's suggested tip, and a max fee of twice
 * the next block's base fee plus the tip (that covers six full blocks in a row, +12.5 % each; only
 * base fee + tip is actually paid), never above the ceiling (LEARNCOIN_MAX_FEE_GWEI). Above the
 * ceiling a transaction waits in the pool until the base fee comes down.
 */
final class FeePolicy {
  /** A transaction's tip and max fee per gas, in wei. */
  record Fees(BigInteger tip, BigInteger maxFee) {
    static final Fees NONE = new Fees(BigInteger.ZERO, BigInteger.ZERO);
  }

  private final BigInteger ceilingWei;

  /** {@code ceilingWei} null: no ceiling. */
  FeePolicy(BigInteger ceilingWei) {
    this.ceilingWei = ceilingWei;
  }

  /** Today's fees, at least {@code floor} (what a replacement must bid), under the ceiling. */
  Fees fees(BigInteger suggestedTip, BigInteger nextBaseFee, Fees floor) {
    BigInteger tip = suggestedTip.max(floor.tip());
    BigInteger maxFee = nextBaseFee.shiftLeft(1).add(tip).max(floor.maxFee());
    if (ceilingWei != null) {
      maxFee = maxFee.min(ceilingWei.max(floor.maxFee()));
    }
    return new Fees(tip.min(maxFee), maxFee);
  }

  /**
   * What a replacement of {@code stuck} must bid at least: both fees raised by an eighth
   * (go-ethereum and anvil refuse a replacement under +10 %). Empty when that crosses the ceiling.
   */
  Optional<Fees> replacementFloor(Transaction1559 stuck) {
    Fees floor = new Fees(raised(stuck.getMaxPriorityFeePerGas()), raised(stuck.getMaxFeePerGas()));
    return ceilingWei != null && floor.maxFee().compareTo(ceilingWei) > 0 ? Optional.empty()
        : Optional.of(floor);
  }

  private static BigInteger raised(BigInteger fee) {
    return fee.add(fee.shiftRight(3)).add(BigInteger.ONE);
  }
}
