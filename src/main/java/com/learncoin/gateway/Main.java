package com.learncoin.gateway;

import ch.qos.logback.classic.LoggerContext;
import com.learncoin.gateway.admin.AdminTokens;
import com.learncoin.gateway.anchoring.WalletReport;
import com.learncoin.gateway.config.Config;
import com.learncoin.gateway.config.ConfigException;
import com.learncoin.gateway.config.ConfigLoader;
import com.learncoin.gateway.metrics.Metrics;
import com.learncoin.gateway.process.DataDirLock;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar learncoin-gateway.jar [run | admin-token | wallet | version | help]}: runs the gateway,
 * prints an admin token for this configuration, its version and build, or the configuration
 * variables.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "run" : args[0];
    PrintStream out = System.out;
    // These two must work even when the configuration is broken: they are how one finds out why.
    switch (command) {
      case "help", "--help", "-h" -> {
        help(out);
        return;
      }
      case "version", "--version" -> {
        out.println(BuildInfo.describe());
        return;
      }
      default -> { }
    }
    Config config;
    try {
      config = ConfigLoader.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("learncoin: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    switch (command) {
      case "run" -> run(config);
      case "admin-token" -> {
        Optional<String> secret = AdminTokens.existingSecret(config);
        if (secret.isEmpty()) {
          System.err.println("learncoin: no admin secret: " + AdminTokens.secretFile(config)
              .toAbsolutePath() + " does not exist and LEARNCOIN_ADMIN_JWT_SECRET is not set (run "
              + "this from the gateway's directory, or set LEARNCOIN_DATA_DIR to its data dir)");
          System.exit(2);
          return;
        }
        Vertx vertx = Vertx.vertx();
        out.println(AdminTokens.mint(AdminTokens.auth(vertx, secret.get()), 12 * 60));
        vertx.close().await(10, TimeUnit.SECONDS);
      }
      case "wallet" -> {
        try {
          WalletReport.lines(config).forEach(out::println);
        } catch (ConfigException e) {
          System.err.println("learncoin: " + e.getMessage());
          System.exit(2);
        }
      }
      default -> {
        System.err.println("learncoin: unknown command '" + command + "'");
        help(System.err);
        System.exit(2);
      }
    }
  }

  private static void run(Config config) throws Exception {
    Vertx vertx = Metrics.vertx(config);
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, config).await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      if (inUse(e) != null) {
        // Not a failure of this gateway: another one runs from the directory. One line, exit 2.
        System.err.println("learncoin: " + inUse(e).getMessage());
        vertx.close();
        flushLogs();
        System.exit(2);
        return;
      }
      LOG.error("LearnCoin gateway did not start: {}", e.getMessage(), e);
      vertx.close();
      flushLogs();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Shutting down: finishing in-flight requests and flushing the audit log");
      try {
        gateway.stop().await(60, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
        LOG.info("LearnCoin gateway stopped");
      } catch (Exception e) {
        LOG.error("Shutdown did not complete cleanly: {}", e.getMessage());
      }
      flushLogs();
    }, "learncoin-shutdown"));
    LOG.info("LearnCoin gateway listening on http://localhost:{}", gateway.port());
    LOG.info("First call: scripts/first-call.sh http://localhost:{} (creates a tenant and a test "
        + "key with an admin token from 'java -jar target/learncoin-gateway.jar admin-token', then "
        + "calls the API)", gateway.port());
  }

  private static DataDirLock.InUseException inUse(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof DataDirLock.InUseException inUse) {
        return inUse;
      }
    }
    return null;
  }

  /** Log lines are written by a background thread; this writes what is queued, then stops it. */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }

  private static void help(PrintStream out) {
    out.println("Usage: java -jar learncoin-gateway.jar [run | admin-token | wallet | version | help]");
    out.println("  run          start the gateway (default)");
    out.println("  admin-token  print an admin JWT (12 h) signed with this configuration's secret");
    out.println("  wallet       print the anchoring wallet's address on each network (to fund it)");
    out.println("  version      print the version, commit and build time");
    out.println("Configuration (environment variables; defaults from conf/application.json):");
    ConfigLoader.defaults().forEach((name, value) -> out.printf("  %-40s default: %s%n", name, value));
  }
}
