package com.learncoin.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * Reads a chain as an outside auditor would, with no help from our database: every transaction a
 * wallet sent, block by block, and the 32-byte Merkle root each one carries as its input.
 */
public final class ChainAudit implements AutoCloseable {
  /** One mined transaction of the wallet. */
  public record Anchor(String txHash, long blockNumber, String root, boolean success) {}

  private final Web3j web3j;
  private final String wallet;

  public ChainAudit(String rpcUrl, String wallet) {
    this.web3j = Web3j.build(new HttpService(rpcUrl));
    this.wallet = wallet.toLowerCase(Locale.ROOT);
  }

  /** Every transaction from the wallet in blocks 0..latest, in chain order. */
  public List<Anchor> anchors() {
    List<Anchor> anchors = new ArrayList<>();
    long latest = call(() -> web3j.ethBlockNumber().send().getBlockNumber()).longValueExact();
    for (long n = 0; n <= latest; n++) {
      DefaultBlockParameter number = DefaultBlockParameter.valueOf(BigInteger.valueOf(n));
      EthBlock.Block block = call(() -> web3j.ethGetBlockByNumber(number, true).send().getBlock());
      for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
        Transaction tx = (Transaction) result.get();
        if (wallet.equalsIgnoreCase(tx.getFrom())) {
          anchors.add(new Anchor(tx.getHash(), n, rootOf(tx.getInput()),
              receipt(tx.getHash()).map(TransactionReceipt::isStatusOK).orElse(false)));
        }
      }
    }
    return anchors;
  }

  /** The wallet's transactions waiting in the node's pool (sent, not yet mined). */
  public long pending() {
    return nonce(DefaultBlockParameterName.PENDING) - nonce(DefaultBlockParameterName.LATEST);
  }

  /** True when the node has the transaction, in its pool or in a block. */
  public boolean known(String txHash) {
    return call(() -> web3j.ethGetTransactionByHash(txHash).send().getTransaction()).isPresent();
  }

  /** True when the transaction is in a block. */
  public boolean mined(String txHash) {
    return receipt(txHash).isPresent();
  }

  private Optional<TransactionReceipt> receipt(String txHash) {
    return call(() -> web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt());
  }

  private long nonce(DefaultBlockParameterName block) {
    return call(() -> web3j.ethGetTransactionCount(wallet, block).send().getTransactionCount())
        .longValueExact();
  }

  /** The anchor's input is exactly the root: "0x" + 64 hex digits, as batches store it. */
  private static String rootOf(String input) {
    String hex = input.toLowerCase(Locale.ROOT);
    return hex.matches("0x[0-9a-f]{64}") ? hex : "not a root: " + input;
  }

  private interface Call<T> {
    T send() throws IOException;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
