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
    int dbConnectionTimeoutMillis,
    Optional<String> adminJwtSecret,
    Optional<String> chainTestRpc,
    Optional<String> chainLiveRpc,
    String signer,
    String keyEncryption,
    String wallet,
    int confirmations,
    int maxPendingTx,
    int maxRoundBatches,
    java.math.BigDecimal minWalletBalanceEth,
    java.math.BigDecimal maxFeeGwei,
    int replaceAfterBlocks,
    long bodyLimitBytes,
    List<String> trustedProxies,
    int auditFlushMillis,
    Optional<String> publicBaseUrlOverride,
    boolean webhooksAllowPrivateTargets,
    int webhookRetryBaseMillis,
    int webhookTenantConcurrency,
    int webhookMaxEndpointsPerTenant,
    int httpIdleTimeoutSeconds,
    int httpHeaderTimeoutSeconds,
    int httpBodyTimeoutSeconds,
    int httpMaxConnections,
    int httpMaxConnectionsPerClient,
    boolean metricsEnabled,
    boolean didWebAllowPrivateTargets,
    Optional<String> didWebTrustPem,
    int verifyMaxBlankNodes,
    int verifyMaxQuads,
    int verifyMaxSteps,
    int verifyTimeoutMillis,
    int verifyThreads,
    String rateLimit,
    int rateLimitSyncMillis) {

  /** {@code LEARNCOIN_RATE_LIMIT=postgresql}: tenants' buckets shared by every node. */
  public boolean sharedRateLimit() {
    return "postgresql".equals(rateLimit);
  }

  /** Where clients reach this service: the base of status list URLs inside credentials. */
  public String publicBaseUrl(int actualPort) {
    return publicBaseUrlOverride.orElse("http://localhost:" + actualPort);
  }
}
