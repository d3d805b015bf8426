package com.learncoin.gateway.config;

import com.learncoin.gateway.net.Cidr;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads {@code application.json} (the file under {@code conf/}, bundled in the jar) and lets each
 * key be overridden by {@code LEARNCOIN_<KEY>}: {@code http_port} ← {@code LEARNCOIN_HTTP_PORT}.
 */
public final class ConfigLoader {
  private static final Pattern KMS_KEY_VERSION = Pattern.compile(
      "projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+/cryptoKeyVersions/[0-9]+");
  private static final Pattern KMS_CRYPTO_KEY = Pattern.compile(
      "projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+");
  private static final Pattern DB_URL = Pattern.compile("postgres(ql)?://[^\\s]+");

  private final JsonObject values;

  private ConfigLoader(JsonObject values) {
    this.values = values;
  }

  public static Config load(Map<String, String> env) {
    JsonObject defaults = readDefaults();
    for (String key : defaults.fieldNames()) {
      String override = env.get(envName(key));
      if (override != null) {
        defaults.put(key, override);
      }
    }
    return new ConfigLoader(defaults).parse();
  }

  public static List<String> variableNames() {
    return List.copyOf(defaults().keySet());
  }

  /** Each variable with its default as written in application.json, sorted by name. */
  public static Map<String, String> defaults() {
    JsonObject defaults = readDefaults();
    Map<String, String> byName = new TreeMap<>();
    defaults.fieldNames().forEach(key -> byName.put(envName(key),
        defaults.getValue(key) == null ? "(unset)" : String.valueOf(defaults.getValue(key))));
    return byName;
  }

  public static String envName(String key) {
    return "LEARNCOIN_" + key.toUpperCase(Locale.ROOT);
  }

  private static JsonObject readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/application.json")) {
      if (in == null) {
        throw new ConfigException("application.json is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | DecodeException e) {
      throw new ConfigException("application.json cannot be read: " + e.getMessage());
    }
  }

  private Config parse() {
    Optional<String> dbUrl = text("db_url");
    dbUrl.ifPresent(url -> require(DB_URL.matcher(url).matches(), "db_url",
        "expected postgresql://user:pass@host:port/db"));
    Optional<String> secret = text("admin_jwt_secret");
    secret.ifPresent(s -> require(s.length() >= 32, "admin_jwt_secret",
        "must be at least 32 characters"));
    String signer = keySource("signer");
    String wallet = keySource("wallet");
    List<String> proxies = list("trusted_proxies");
    for (String proxy : proxies) {
      require(Cidr.isValid(proxy), "trusted_proxies", "'" + proxy + "' is not an IP address or CIDR");
    }
    return new Config(
        integer("http_port", 0, 65_535),
        integer("http_instances", 0, 64),
        Path.of(text("data_dir").orElse("./data")),
        dbUrl,
        integer("db_pool_size", 1, 500),
        integer("db_connection_timeout_millis", 50, 600_000),
        secret,
        url("chain_test_rpc"),
        url("chain_live_rpc"),
        signer,
        keyEncryption(),
        wallet,
        integer("confirmations", 0, 1_000),
        integer("max_pending_tx", 1, 64),
        integer("max_round_batches", 1, 10_000),
        amount("min_wallet_balance_eth", "ETH", "0.001"),
        amount("max_fee_gwei", "gwei", "50"),
        integer("replace_after_blocks", 1, 1_000),
        integer("body_limit_bytes", 1_024, 1_073_741_824),
        proxies,
        integer("audit_flush_millis", 10, 60_000),
        url("public_base_url").map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u),
        bool("webhooks_allow_private_targets"),
        integer("webhook_retry_base_millis", 10, 600_000),
        integer("webhook_tenant_concurrency", 1, 1_000),
        integer("webhook_max_endpoints_per_tenant", 1, 100_000),
        integer("http_idle_timeout_seconds", 1, 3_600),
        integer("http_header_timeout_seconds", 1, 600),
        integer("http_body_timeout_seconds", 1, 3_600),
        integer("http_max_connections", 1, 1_000_000),
        integer("http_max_connections_per_client", 1, 1_000_000),
        bool("metrics_enabled"),
        bool("did_web_allow_private_targets"),
        text("did_web_trust_pem"),
        integer("verify_max_blank_nodes", 1, 1_000_000),
        integer("verify_max_quads", 1, 10_000_000),
        integer("verify_max_steps", 1_000, 1_000_000_000),
        integer("verify_timeout_millis", 10, 600_000),
        integer("verify_threads", 1, 64),
        rateLimit(),
        integer("rate_limit_sync_millis", 10, 10_000));
  }

  /** Where tenants' token buckets live: "local" (this node's memory) or "postgresql" (shared). */
  private String rateLimit() {
    String value = text("rate_limit").orElse("local");
    require(value.equals("local") || value.equals("postgresql"), "rate_limit",
        "expected 'local' or 'postgresql', got '" + value + "'");
    return value;
  }

  /** What seals tenants' keys: "local" (the data directory's key) or a Cloud KMS crypto key. */
  private String keyEncryption() {
    String value = text("key_encryption").orElse("local");
    require(value.equals("local") || KMS_CRYPTO_KEY.matcher(value).matches(), "key_encryption",
        "expected 'local' or projects/P/locations/L/keyRings/R/cryptoKeys/K");
    return value;
  }

  /** Where a key lives: "local" (a file of the data directory) or a Cloud KMS key version. */
  private String keySource(String key) {
    String value = text(key).orElse("local");
    require(value.equals("local") || KMS_KEY_VERSION.matcher(value).matches(), key,
        "expected 'local' or projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N");
    return value;
  }

  private Optional<String> text(String key) {
    Object value = values.getValue(key);
    if (value == null || value.toString().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.toString().trim());
  }

  private int integer(String key, int min, int max) {
    String raw = text(key).orElse("");
    try {
      int value = Integer.parseInt(raw);
      require(value >= min && value <= max, key, "expected an integer " + min + ".." + max
          + ", got '" + raw + "'");
      return value;
    } catch (NumberFormatException e) {
      throw invalid(key, "expected an integer " + min + ".." + max + ", got '" + raw + "'");
    }
  }

  /** An amount of ether, e.g. 0.001: zero or more, at most 18 decimals. */
  /** An amount of ETH or gwei, to the wei: 18 or 9 decimals at most. */
  private java.math.BigDecimal amount(String key, String unit, String example) {
    String raw = text(key).orElse("0");
    String expected = "expected an amount of " + unit + " such as " + example + ", got '" + raw + "'";
    try {
      java.math.BigDecimal value = new java.math.BigDecimal(raw);
      require(value.signum() >= 0 && value.scale() <= (unit.equals("ETH") ? 18 : 9), key, expected);
      return value;
    } catch (NumberFormatException e) {
      throw invalid(key, expected);
    }
  }

  private boolean bool(String key) {
    String raw = text(key).orElse("false").toLowerCase(Locale.ROOT);
    require(raw.equals("true") || raw.equals("false"), key, "expected true or false, got '" + raw
        + "'");
    return Boolean.parseBoolean(raw);
  }

  private Optional<String> url(String key) {
    Optional<String> value = text(key);
    value.ifPresent(raw -> {
      try {
        URI uri = new URI(raw);
        require(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null, key, "expected an http(s) URL, got '" + raw + "'");
      } catch (java.net.URISyntaxException e) {
        throw invalid(key, "expected an http(s) URL, got '" + raw + "'");
      }
    });
    return value;
  }

  /** Lists come from JSON arrays in the file, or comma-separated text in the environment. */
  private List<String> list(String key) {
    Object value = values.getValue(key);
    if (value instanceof JsonArray array) {
      return array.stream().map(String::valueOf).toList();
    }
    String raw = value == null ? "" : value.toString().trim();
    return raw.isEmpty() ? List.of()
        : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static void require(boolean ok, String key, String reason) {
    if (!ok) {
      throw invalid(key, reason);
    }
  }

  private static ConfigException invalid(String key, String reason) {
    return new ConfigException(envName(key) + ": " + reason);
  }
}
