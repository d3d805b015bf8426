package com.learncoin.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration, parsed and validated once at start-up ({@link ConfigLoader}) and passed
 * by constructor; nothing else reads the environment.
 */
public record Config(
    int httpPort,
    int httpInstances,
    Path dataDir,
    Optional<String> dbUrl,
    int dbPoolSize,
    Optional<String> adminJwtSecret,
    Optional<String> chainTestRpc,
    Optional<String> chainLiveRpc,
    String signer,
    int confirmations,
    long bodyLimitBytes,
    List<String> trustedProxies,
    int auditFlushMillis) {

  public Config withHttpPort(int port) {
    return new Config(port, httpInstances, dataDir, dbUrl, dbPoolSize, adminJwtSecret, chainTestRpc,
        chainLiveRpc, signer, confirmations, bodyLimitBytes, trustedProxies, auditFlushMillis);
  }

  public Config withDbUrl(String url) {
    return new Config(httpPort, httpInstances, dataDir, Optional.of(url), dbPoolSize, adminJwtSecret,
        chainTestRpc, chainLiveRpc, signer, confirmations, bodyLimitBytes, trustedProxies,
        auditFlushMillis);
  }
}
