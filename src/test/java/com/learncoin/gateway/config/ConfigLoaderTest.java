package com.learncoin.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Configuration: application.json defaults, LEARNCOIN_* overrides, validated once")
class ConfigLoaderTest {

  @Test
  @DisplayName("with no variables set, the defaults of conf/application.json apply")
  void defaults() {
    Config config = ConfigLoader.load(Map.of());
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.dbUrl()).isEmpty();
    assertThat(config.signer()).isEqualTo("local");
    assertThat(config.wallet()).isEqualTo("local");
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.trustedProxies()).isEmpty();
    assertThat(config.httpIdleTimeoutSeconds()).isEqualTo(30);
    assertThat(config.httpHeaderTimeoutSeconds()).isEqualTo(10);
    assertThat(config.dbConnectionTimeoutMillis()).isEqualTo(5_000);
    assertThat(config.maxFeeGwei()).isEqualByComparingTo("100");
    assertThat(config.replaceAfterBlocks()).isEqualTo(3);
    assertThat(config.rateLimit()).isEqualTo("local");
    assertThat(config.sharedRateLimit()).isFalse();
    assertThat(config.rateLimitSyncMillis()).isEqualTo(100);
  }

  @Test
  @DisplayName("each key is overridden by LEARNCOIN_<KEY>")
  void overrides() {
    Config config = ConfigLoader.load(Map.ofEntries(
        Map.entry("LEARNCOIN_HTTP_PORT", "9090"),
        Map.entry("LEARNCOIN_DB_URL", "postgresql://u:p@db.internal:5432/learncoin"),
        Map.entry("LEARNCOIN_TRUSTED_PROXIES", "10.0.0.0/8, ::1"),
        Map.entry("LEARNCOIN_SIGNER", "projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/3"),
        Map.entry("LEARNCOIN_WALLET", "projects/p/locations/global/keyRings/r/cryptoKeys/w/cryptoKeyVersions/1"),
        Map.entry("LEARNCOIN_CHAIN_TEST_RPC", "http://127.0.0.1:8545"),
        Map.entry("LEARNCOIN_CONFIRMATIONS", "3"),
        Map.entry("LEARNCOIN_HTTP_HEADER_TIMEOUT_SECONDS", "4"),
        Map.entry("LEARNCOIN_HTTP_BODY_TIMEOUT_SECONDS", "7"),
        Map.entry("LEARNCOIN_HTTP_MAX_CONNECTIONS", "500"),
        Map.entry("LEARNCOIN_HTTP_MAX_CONNECTIONS_PER_CLIENT", "20"),
        Map.entry("LEARNCOIN_DB_CONNECTION_TIMEOUT_MILLIS", "1500"),
        Map.entry("LEARNCOIN_RATE_LIMIT", "postgresql"),
        Map.entry("LEARNCOIN_RATE_LIMIT_SYNC_MILLIS", "50")));
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.dbUrl()).contains("postgresql://u:p@db.internal:5432/learncoin");
    assertThat(config.trustedProxies()).containsExactly("10.0.0.0/8", "::1");
    assertThat(config.chainTestRpc()).contains("http://127.0.0.1:8545");
    assertThat(config.confirmations()).isEqualTo(3);
    assertThat(config.httpHeaderTimeoutSeconds()).isEqualTo(4);
    assertThat(config.httpBodyTimeoutSeconds()).isEqualTo(7);
    assertThat(config.httpMaxConnections()).isEqualTo(500);
    assertThat(config.httpMaxConnectionsPerClient()).isEqualTo(20);
    assertThat(config.dbConnectionTimeoutMillis()).isEqualTo(1_500);
    assertThat(config.signer()).endsWith("cryptoKeys/k/cryptoKeyVersions/3");
    assertThat(config.wallet()).endsWith("cryptoKeys/w/cryptoKeyVersions/1");
    assertThat(config.sharedRateLimit()).isTrue();
    assertThat(config.rateLimitSyncMillis()).isEqualTo(50);
  }

  @ParameterizedTest(name = "{0}={1} is refused naming the variable")
  @CsvSource(delimiter = '|', value = {
      "LEARNCOIN_HTTP_PORT|eighty",
      "LEARNCOIN_HTTP_PORT|70000",
      "LEARNCOIN_DB_URL|mysql://localhost/db",
      "LEARNCOIN_ADMIN_JWT_SECRET|short",
      "LEARNCOIN_SIGNER|kms",
      "LEARNCOIN_WALLET|kms",
      "LEARNCOIN_WALLET|projects/p/locations/global/keyRings/r/cryptoKeys/w",
      "LEARNCOIN_CHAIN_LIVE_RPC|ftp://node",
      "LEARNCOIN_CONFIRMATIONS|-1",
      "LEARNCOIN_TRUSTED_PROXIES|10.0.0.0/33",
      "LEARNCOIN_TRUSTED_PROXIES|proxy.internal",
      "LEARNCOIN_BODY_LIMIT_BYTES|1",
      "LEARNCOIN_HTTP_BODY_TIMEOUT_SECONDS|0",
      "LEARNCOIN_HTTP_MAX_CONNECTIONS|0",
      "LEARNCOIN_HTTP_MAX_CONNECTIONS_PER_CLIENT|none",
      "LEARNCOIN_DB_CONNECTION_TIMEOUT_MILLIS|0",
      "LEARNCOIN_MAX_FEE_GWEI|-1",
      "LEARNCOIN_MAX_FEE_GWEI|0.0000000001",
      "LEARNCOIN_MAX_FEE_GWEI|cheap",
      "LEARNCOIN_REPLACE_AFTER_BLOCKS|0",
      "LEARNCOIN_RATE_LIMIT|redis",
      "LEARNCOIN_RATE_LIMIT_SYNC_MILLIS|0"})
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(variable, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  @DisplayName("the variable list covers every key, those of API.md §9 among them")
  void variableNames() {
    assertThat(ConfigLoader.variableNames()).contains("LEARNCOIN_HTTP_PORT", "LEARNCOIN_DATA_DIR",
        "LEARNCOIN_DB_URL", "LEARNCOIN_ADMIN_JWT_SECRET", "LEARNCOIN_CHAIN_TEST_RPC",
        "LEARNCOIN_CHAIN_LIVE_RPC", "LEARNCOIN_SIGNER", "LEARNCOIN_WALLET",
        "LEARNCOIN_CONFIRMATIONS");
  }
}
