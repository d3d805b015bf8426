package com.learncoin.gateway.support;

import com.learncoin.gateway.anchoring.AnchorReceipt;
import com.learncoin.gateway.anchoring.ChainClient;
import java.time.Duration;
import java.util.Optional;

/** Polls a chain the way the anchoring worker does, for tests that need a mined transaction. */
public final class ChainWait {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private ChainWait() {}

  /** The receipt of {@code txHash}, waiting up to 15 s for it to be mined. */
  public static AnchorReceipt receipt(ChainClient client, String txHash) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Optional<AnchorReceipt> receipt = client.receipt(txHash);
      if (receipt.isPresent()) {
        return receipt.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(txHash + " was not mined within " + TIMEOUT.toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + txHash, e);
      }
    }
  }
}
