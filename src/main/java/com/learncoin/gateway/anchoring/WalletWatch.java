package com.learncoin.gateway.anchoring;

import com.learncoin.gateway.resilience.DependencyBreaker;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchoring wallet's balance on each network, against LEARNCOIN_MIN_WALLET_BALANCE_ETH. Below
 * it the network's breaker opens with {@link #UNDERFUNDED}: readiness names the reason and intake
 * answers 422 anchoring_chain_unavailable, as for any chain outage, instead of queueing batches
 * whose transactions the node would refuse. Funded again, a breaker opened for that reason closes.
 * Each change is logged once, not once per check. Chain calls block: run it on a worker.
 */
public final class WalletWatch {
  public static final String UNDERFUNDED = "wallet_underfunded";
  private static final Logger LOG = LoggerFactory.getLogger(WalletWatch.class);
  private static final BigDecimal WEI_PER_ETH = BigDecimal.TEN.pow(18);

  private WalletWatch() {}

  /** True when the breaker is open because the wallet is underfunded. */
  public static boolean underfunded(DependencyBreaker breaker) {
    String error = breaker.lastError();
    return breaker.isOpen() && error != null && error.startsWith(UNDERFUNDED);
  }

  /** Checks every network; returns each balance read, in ETH (a network that did not answer: none). */
  public static Map<String, BigDecimal> check(Networks networks, BigDecimal minimumEth) {
    Map<String, BigDecimal> balances = new LinkedHashMap<>();
    for (Networks.Network network : networks.byName().values()) {
      BigInteger wei;
      try {
        wei = network.client().balanceWei();
      } catch (ChainUnavailableException e) {
        continue; // an outage: the anchoring steps trip the breaker for that
      }
      BigDecimal eth = new BigDecimal(wei).divide(WEI_PER_ETH);
      balances.put(network.name(), eth);
      DependencyBreaker breaker = network.breaker();
      if (eth.compareTo(minimumEth) < 0) {
        if (!underfunded(breaker)) {
          LOG.warn("Wallet {} on {} holds {} ETH, under LEARNCOIN_MIN_WALLET_BALANCE_ETH {}: "
              + "batches for it are refused until it is funded", network.client().address(),
              network.name(), eth.toPlainString(), minimumEth.toPlainString());
        }
        while (!breaker.isOpen() || !underfunded(breaker)) {
          breaker.failure(UNDERFUNDED + ": the anchoring wallet " + network.client().address()
              + " holds " + eth.toPlainString() + " ETH, under the minimum "
              + minimumEth.toPlainString() + " ETH");
        }
      } else if (underfunded(breaker)) {
        breaker.success();
        LOG.info("Wallet {} on {} funded again ({} ETH): anchoring resumes",
            network.client().address(), network.name(), eth.toPlainString());
      }
    }
    return balances;
  }
}
