package com.learncoin.gateway.anchoring;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Anchors Merkle roots on one EVM chain (Base, Base Sepolia, or a local anvil) from one wallet: each
 * root is the data of an EIP-1559 transaction of value 0 from the wallet to itself, which costs the
 * least gas of any way to put 32 bytes on chain and needs no contract.
 *
 * <p>Every method blocks on HTTP and must run on a worker thread. The client is thread-safe. The
 * node's chain id is checked on first use, so a misconfigured URL cannot send a live-key batch to a
 * test chain or the other way round.
 */
public final class ChainClient implements AutoCloseable {
  private static final int ROOT_BYTES = 32;

  private final long expectedChainId;
  private final WalletSigner wallet;
  private final FeePolicy fees;
  private final String node;
  private final OkHttpClient http;
  private final Web3j web3j;
  private volatile boolean chainVerified;

  /** A client whose wallet key is in memory, as {@link Wallets#loadOrCreate} gives it. */
  public ChainClient(String rpcUrl, long expectedChainId, Credentials wallet) {
    this(rpcUrl, expectedChainId, new LocalWallet(Objects.requireNonNull(wallet, "wallet")));
  }

  public ChainClient(String rpcUrl, long expectedChainId, WalletSigner wallet) {
    this(rpcUrl, expectedChainId, wallet, null);
  }

  /** A client that never signs a max fee per gas above {@code maxFeeWei} (null: no ceiling). */
  public ChainClient(String rpcUrl, long expectedChainId, WalletSigner wallet,
      BigInteger maxFeeWei) {
    if (rpcUrl == null || HttpUrl.parse(rpcUrl) == null) {
      throw new IllegalArgumentException("the chain RPC URL must be an http(s) URL");
    }
    this.expectedChainId = expectedChainId;
    this.wallet = Objects.requireNonNull(wallet, "wallet");
    this.fees = new FeePolicy(maxFeeWei);
    this.node = Rpc.describe(rpcUrl);
    // Short timeouts: a dead node must surface as ChainUnavailableException within seconds so the
    // batch records last_error and the circuit opens, instead of pinning a worker thread.
    this.http = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(10))
        .writeTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofSeconds(15))
        .build();
    // web3j wants a scheduler for its polling helpers, which this class never uses; a scheduled
    // pool starts no thread until a task arrives, and owning it lets close() shut it down.
    ScheduledExecutorService unusedPoller = Executors.newSingleThreadScheduledExecutor();
    this.web3j = Web3j.build(new HttpService(rpcUrl, http), 1_000, unusedPoller);
  }

  public long chainId() {
    return expectedChainId;
  }

  /** The wallet's address, "0x" + 40 lowercase hex digits; it pays the fees and receives the txs. */
  public String address() {
    return wallet.address();
  }

  /** The next nonce to use, counting the wallet's transactions still waiting in the node's pool. */
  public BigInteger pendingNonce() {
    verifyChain();
    return Rpc.require(web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING),
        node).getTransactionCount();
  }

  /**
   * Signs, but does not send, the transaction that anchors {@code root} with {@code nonce}.
   *
   * @throws ChainUnavailableException the node or the wallet's key store cannot be used now
   */
  public SignedAnchor sign(byte[] root, BigInteger nonce) {
    if (root == null || root.length != ROOT_BYTES) {
      throw new IllegalArgumentException("a Merkle root is 32 bytes");
    }
    if (nonce == null || nonce.signum() < 0) {
      throw new IllegalArgumentException("nonce must be zero or more");
    }
    return sign(Numeric.toHexString(root), nonce, FeePolicy.Fees.NONE);
  }

  /**
   * The replacement of a transaction that is not being mined (a base-fee spike, a tip too low):
   * the same nonce and data, fees above the stuck ones by the node's replacement minimum. Empty
   * when that would cross the ceiling: the transaction then waits for fees to come down.
   */
  public Optional<SignedAnchor> replacement(String rawTransaction) {
    Transaction1559 stuck = (Transaction1559) TransactionDecoder.decode(rawTransaction)
        .getTransaction();
    return fees.replacementFloor(stuck)
        .map(floor -> sign(stuck.getData(), stuck.getNonce(), floor));
  }

  private SignedAnchor sign(String data, BigInteger nonce, FeePolicy.Fees floor) {
    verifyChain();
    // The node knows the fork's intrinsic cost (EIP-7623 raised the calldata floor: 22,280 gas
    // here, not 21,512). Unused gas is not charged, so a margin costs nothing and survives a
    // rule change between signing and inclusion.
    BigInteger estimate = Rpc.require(web3j.ethEstimateGas(
        Transaction.createEthCallTransaction(address(), address(), data)), node).getAmountUsed();
    BigInteger gasLimit = estimate.multiply(BigInteger.valueOf(11)).divide(BigInteger.TEN);
    BigInteger tip = Rpc.require(web3j.ethMaxPriorityFeePerGas(), node).getMaxPriorityFeePerGas();
    List<BigInteger> baseFees = Rpc.require(
        web3j.ethFeeHistory(1, DefaultBlockParameterName.LATEST, List.of()), node)
        .getFeeHistory().getBaseFeePerGas();
    // The last entry is the next block's base fee.
    FeePolicy.Fees fee = fees.fees(tip, baseFees.get(baseFees.size() - 1), floor);
    RawTransaction tx = RawTransaction.createTransaction(expectedChainId, nonce, gasLimit,
        address(), BigInteger.ZERO, data, fee.tip(), fee.maxFee());
    // EIP-1559 signs keccak256(0x02 ‖ rlp(fields)), the chain id being one of the fields; only
    // that hash goes to the wallet, so a key in KMS signs exactly what a local key would.
    Sign.SignatureData signature = wallet.sign(Hash.sha3(TransactionEncoder.encode(tx)));
    byte[] signed = TransactionEncoder.encode(tx, signature);
    return new SignedAnchor(Numeric.toHexString(Hash.sha3(signed)),
        Numeric.toHexString(signed), nonce);
  }

  /**
   * Sends the signed transaction. Sending it again (after a crash, a timeout, or just twice) is
   * harmless: a node that already holds it, or has mined it, counts as success.
   *
   * @throws ChainUnavailableException try again later with the same transaction
   * @throws TransactionRejectedException this transaction can never be mined; sign again
   * @throws TransactionUnderpricedException its fees are too low for now; wait, or replace it
   */
  public void broadcast(SignedAnchor tx) {
    verifyChain();
    EthSendTransaction sent = Rpc.call(web3j.ethSendRawTransaction(tx.rawTransaction()), node);
    if (!sent.hasError()) {
      String hash = sent.getTransactionHash();
      if (hash != null && !hash.equalsIgnoreCase(tx.txHash())) {
        throw new IllegalStateException(
            "the node named the transaction " + hash + ", but it hashes to " + tx.txHash());
      }
      return;
    }
    String reason = String.valueOf(sent.getError().getMessage());
    String lower = reason.toLowerCase(Locale.ROOT);
    // "nonce too low" is also what a node says when this very transaction was mined earlier, so
    // the hash decides; any other doubt is "try later", never "sign again" (that could anchor the
    // batch twice).
    if (NodeRefusals.alreadyKnown(lower) || isKnown(tx.txHash())) {
      return;
    }
    if (NodeRefusals.neverMinable(lower)) {
      throw new TransactionRejectedException("transaction " + tx.txHash() + " with nonce "
          + tx.nonce() + " was refused by " + node + ": " + reason);
    }
    if (NodeRefusals.underpriced(lower)) {
      throw new TransactionUnderpricedException("transaction " + tx.txHash() + " was refused by "
          + node + " for its fees: " + reason);
    }
    if (lower.contains("insufficient funds")) {
      reason = "wallet " + address() + " cannot pay the fees: " + reason;
    }
    throw new ChainUnavailableException("eth_sendRawTransaction to " + node + " answered "
        + sent.getError().getCode() + " " + reason);
  }

  /** The receipt once the transaction is mined; empty while it is pending or unknown. */
  public Optional<AnchorReceipt> receipt(String txHash) {
    verifyChain();
    Optional<TransactionReceipt> mined =
        Rpc.require(web3j.ethGetTransactionReceipt(txHash), node).getTransactionReceipt();
    return mined.filter(r -> r.getBlockNumberRaw() != null)
        .map(r -> new AnchorReceipt(r.getTransactionHash(), r.getBlockNumber().longValueExact(),
            r.isStatusOK()));
  }

  /** The number of the chain's latest block. */
  public long blockNumber() {
    verifyChain();
    return Rpc.require(web3j.ethBlockNumber(), node).getBlockNumber().longValueExact();
  }

  /**
   * The data of a transaction as the chain holds it: for an anchor, the 32-byte root.
   *
   * @throws NoSuchElementException if the node knows no such transaction
   */
  public byte[] transactionInput(String txHash) {
    verifyChain();
    return Rpc.require(web3j.ethGetTransactionByHash(txHash), node).getTransaction()
        .map(t -> Numeric.hexStringToByteArray(t.getInput()))
        .orElseThrow(() -> new NoSuchElementException("no transaction " + txHash + " on " + node));
  }

  /** The wallet's balance in wei at the latest block. */
  public BigInteger balanceWei() {
    verifyChain();
    return Rpc.require(web3j.ethGetBalance(address(), DefaultBlockParameterName.LATEST), node)
        .getBalance();
  }

  /** True when the node has the transaction, pending or mined. */
  public boolean isKnown(String txHash) {
    verifyChain();
    return Rpc.require(web3j.ethGetTransactionByHash(txHash), node).getTransaction().isPresent();
  }

  @Override
  public void close() {
    web3j.shutdown();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private void verifyChain() {
    if (chainVerified) {
      return;
    }
    BigInteger actual = Rpc.require(web3j.ethChainId(), node).getChainId();
    if (!actual.equals(BigInteger.valueOf(expectedChainId))) {
      throw new IllegalStateException("the node at " + node + " serves chain id " + actual
          + ", but chain id " + expectedChainId + " was expected");
    }
    chainVerified = true;
  }
}
