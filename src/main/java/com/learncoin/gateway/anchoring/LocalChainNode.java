package com.learncoin.gateway.anchoring;

import com.learncoin.gateway.process.LeftoverProcess;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Ethereum JSON-RPC node (anvil, pinned in package.json) run as a child process on
 * loopback: the chain of the default run, when no RPC URL is configured, and of the tests.
 *
 * <p>With a state file, anvil loads the chain from it at start and writes it back when stopped
 * gracefully (SIGTERM), blocks and transactions included, so anchors survive restarts.
 *
 * <p>An outage test stops the node and brings the same chain back at the same URL:
 *
 * <pre>{@code
 * LocalChainNode node = LocalChainNode.start(binary, 84532, stateFile, 0);
 * ...                                   // anchor something
 * node.stop();                          // graceful: the state file is written
 * Thread.sleep(60_000);                 // the outage: ChainClient calls fail fast meanwhile
 * node = node.restart();                // same binary, chain id, state file and port
 * }</pre>
 *
 * <p>{@link #kill()} simulates a crash instead: no state is written.
 */
public final class LocalChainNode implements AutoCloseable {
  private static final String BINARY_ENV = "LEARNCOIN_ANVIL_BIN";
  private static final Path NPM_BINARY = Path.of("node_modules", "@foundry-rs",
      "anvil-linux-amd64", "bin", "anvil");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final BigInteger THOUSAND_ETH = BigInteger.TEN.pow(21);

  private final Path binary;
  private final long chainId;
  private final Path stateFile;
  private final int port;
  private final Process process;
  private final AnvilOutput output;
  private final Thread stopOnExit;

  private LocalChainNode(Path binary, long chainId, Path stateFile, int port, Process process,
      AnvilOutput output) {
    this.binary = binary;
    this.chainId = chainId;
    this.stateFile = stateFile;
    this.port = port;
    this.process = process;
    this.output = output;
    // Without this, a JVM that exits without closing the node would leave anvil running. The
    // hook waits because anvil's output pipe dies with the JVM, and the state is written after.
    this.stopOnExit = new Thread(this::stopQuietly, "anvil-stop-" + process.pid());
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * The anvil binary: {@code $LEARNCOIN_ANVIL_BIN} as given (so a wrong value fails loudly at
   * start), else the one {@code npm ci} installs under the working directory, if present.
   */
  public static Optional<Path> findBinary() {
    String configured = System.getenv(BINARY_ENV);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    return Files.isExecutable(NPM_BINARY) ? Optional.of(NPM_BINARY.toAbsolutePath())
        : Optional.empty();
  }

  /**
   * Starts anvil on 127.0.0.1 and returns once it answers eth_chainId with {@code chainId}.
   *
   * @param stateFile where to load and save the chain, or null for a chain that lives in memory
   * @param port the port to listen on, 0 for any free one
   */
  public static LocalChainNode start(Path binary, long chainId, Path stateFile, int port) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1",
        "--port", Integer.toString(port), "--chain-id", Long.toString(chainId)));
    Process process;
    try {
      if (stateFile != null) {
        Files.createDirectories(stateFile.toAbsolutePath().getParent());
        command.addAll(List.of("--state", stateFile.toString()));
        LeftoverProcess.stop(pidFile(stateFile), "anvil");
      }
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (stateFile != null) {
        LeftoverProcess.record(pidFile(stateFile), process.pid());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary + " (run npm ci?)", e);
    }
    AnvilOutput output = AnvilOutput.drain(process);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    int actualPort;
    try {
      actualPort = output.awaitPort(START_TIMEOUT);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    LocalChainNode node = new LocalChainNode(binary, chainId, stateFile, actualPort, process, output);
    try {
      node.awaitChainId(deadline);
      return node;
    } catch (RuntimeException e) {
      node.kill();
      throw e;
    }
  }

  private static Path pidFile(Path stateFile) {
    return stateFile.resolveSibling(stateFile.getFileName() + ".pid");
  }

  /** A new node on this one's port, with its chain id and state file; this one must be stopped. */
  public LocalChainNode restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("stop the node before restarting it");
    }
    return start(binary, chainId, stateFile, port);
  }

  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long chainId() {
    return chainId;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Gives {@code address} 1000 ETH, enough for a lifetime of anchoring on a local chain. */
  public void fund(String address) {
    call("anvil_setBalance", new JsonArray().add(address).add("0x" + THOUSAND_ETH.toString(16)));
  }

  /** Mines {@code blocks} blocks now, e.g. to give a receipt its confirmations. */
  public void mine(int blocks) {
    call("anvil_mine", new JsonArray().add("0x" + Integer.toHexString(blocks)));
  }

  /**
   * Automine (the default) mines each transaction as it arrives; without it, transactions wait in
   * the pool until {@link #mine(int)}, as they do between blocks of a real chain.
   */
  public void automine(boolean on) {
    call("evm_setAutomine", new JsonArray().add(on));
  }

  /** A block every {@code seconds}, as a real chain (Base: 2 s), instead of one per transaction. */
  public void intervalMining(int seconds) {
    automine(false);
    call("evm_setIntervalMining", new JsonArray().add(seconds));
  }

  /** Stops anvil with SIGTERM, which makes it write its state file, and waits for it to exit. */
  public void stop() {
    process.destroy();
    awaitExit();
  }

  /** Kills anvil at once (SIGKILL), as a crash would: the state file is not written. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  @Override
  public void close() {
    stop();
  }

  private void stopQuietly() {
    process.destroy();
    try {
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    output.awaitEnd(Duration.ofSeconds(2));
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting and the hook is running or has run: nothing to remove.
    }
  }

  private void awaitChainId(long deadline) {
    while (true) {
      try {
        String answer = call("eth_chainId", new JsonArray()).toString();
        long actual = Long.decode(answer);
        if (actual != chainId) {
          throw new IllegalStateException("anvil serves chain id " + actual + ", not " + chainId);
        }
        return;
      } catch (UncheckedIOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("anvil on port " + port + " did not answer eth_chainId"
              + " within " + START_TIMEOUT.toSeconds() + " s; its last output:\n"
              + output.lastLines(), notYet);
        }
        sleep(Duration.ofMillis(50));
      }
    }
  }

  /** Any JSON-RPC method of the node (tests drop transactions, reorg, spike the base fee). */
  public Object call(String method, JsonArray params) {
    return AnvilRpc.call(port, method, params);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for anvil", e);
    }
  }
}
