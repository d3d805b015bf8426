package com.learncoin.gateway.support;

import com.learncoin.gateway.Gateway;
import com.learncoin.gateway.admin.AdminTokens;
import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway, started the way {@code Main} starts it (config from environment variables,
 * migrations, verticles) on a random port against its own PostgreSQL database.
 */
public final class TestGateway implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private final Vertx vertx;
  private final String database;
  private final Map<String, String> env;
  private final Gateway.Keys keys;
  private final Gateway gateway;
  private final String adminToken;
  /** Whether responses are checked against openapi.yaml ({@link ContractCheck}). */
  private final boolean validated;
  private boolean closed;

  private TestGateway(Vertx vertx, String database, Map<String, String> env,
      Gateway.Keys keys) {
    this.vertx = vertx;
    this.database = database;
    this.env = env;
    this.keys = keys;
    try {
      this.gateway = Gateway.start(vertx, ConfigLoader.load(env), keys)
          .await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not start", e);
    }
    this.adminToken = AdminTokens.mint(AdminTokens.auth(vertx, gateway.adminSecret()), 60);
    this.validated = true;
  }

  private TestGateway(TestGateway node) {
    this.vertx = node.vertx;
    this.database = node.database;
    this.env = node.env;
    this.keys = node.keys;
    this.gateway = node.gateway;
    this.adminToken = node.adminToken;
    this.validated = false;
    this.closed = true; // a view: closing it leaves the node running
  }

  /**
   * The same node, whose responses are NOT checked against openapi.yaml: only for tests that
   * deliberately probe what the document does not describe (unknown routes, hostile framing).
   */
  public TestGateway unvalidated() {
    return new TestGateway(this);
  }

  public static TestGateway start(Vertx vertx) {
    return start(vertx, Map.of());
  }

  public static TestGateway start(Vertx vertx, Map<String, String> overrides) {
    return start(vertx, overrides, Gateway.Keys.fromConfig());
  }

  /** With the keys made by {@code keys}, e.g. KMS clients talking to {@link FakeKms}. */
  public static TestGateway start(Vertx vertx, Map<String, String> overrides,
      Gateway.Keys keys) {
    String database = TestDatabase.createDatabase();
    Map<String, String> env = new HashMap<>();
    env.put("LEARNCOIN_DB_URL", TestDatabase.url(database));
    env.put("LEARNCOIN_HTTP_PORT", "0");
    env.put("LEARNCOIN_HTTP_INSTANCES", "2");
    env.put("LEARNCOIN_ADMIN_JWT_SECRET", "test-secret-" + UUID.randomUUID());
    env.put("LEARNCOIN_AUDIT_FLUSH_MILLIS", "50");
    try {
      env.put("LEARNCOIN_DATA_DIR", Files.createTempDirectory("learncoin-test").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("LEARNCOIN_CHAIN_TEST_RPC", TestChains.testRpc());
    env.put("LEARNCOIN_CHAIN_LIVE_RPC", TestChains.liveRpc());
    env.putAll(overrides);
    TestChains.fund(Wallets.loadOrCreate(
        Path.of(env.get("LEARNCOIN_DATA_DIR"), Chains.WALLET_KEY_FILE)).getAddress());
    return new TestGateway(vertx, database, env, keys);
  }

  /** A second node on the same database, as in a two-node deployment. */
  public TestGateway anotherNode() {
    return new TestGateway(vertx, database, env, keys);
  }

  /** Stops this node and starts a fresh one on the same database and configuration. */
  public TestGateway restart() {
    close();
    return new TestGateway(vertx, database, env, keys);
  }

  public Gateway gateway() {
    return gateway;
  }

  public String adminToken() {
    return adminToken;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  public Reply get(String path, String apiKey) {
    return send("GET", path, null, "Authorization", "Bearer " + apiKey);
  }

  public Reply post(String path, String apiKey, String json, String... headers) {
    String[] all = concat(new String[] {"Authorization", "Bearer " + apiKey,
        "Content-Type", "application/json"}, headers);
    return send("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), all);
  }

  public Reply admin(String method, String path, JsonObject body) {
    return send(method, path, body == null ? null : body.toBuffer().getBytes(),
        "Authorization", "Bearer " + adminToken, "Content-Type", "application/json");
  }

  public Reply send(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (validated) {
        ContractCheck.get().check(method, path, response);
      }
      return new Reply(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A tenant on the given plan, created through the admin API. */
  public String tenant(String plan) {
    return admin("POST", "/admin/v1/tenants", new JsonObject().put("name", "Test School " + plan)
        .put("plan", plan)).assertStatus(201).json().getString("id");
  }

  /** A new key's JSON (with its plaintext under "key"), created through the admin API. */
  public JsonObject key(String tenantId, String environment, String... allowlist) {
    return admin("POST", "/admin/v1/tenants/" + tenantId + "/keys", new JsonObject()
        .put("environment", environment).put("ip_allowlist", new JsonArray(List.of((Object[]) allowlist))))
        .assertStatus(201).json();
  }

  /** A test key of a fresh tenant on the given plan. */
  public String newTestKey(String plan) {
    return key(tenant(plan), "test").getString("key");
  }

  /** A single number from the database, e.g. a count. */
  public long queryLong(String sql, Object... params) {
    try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A single text value from the database. */
  public String queryText(String sql, Object... params) {
    try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void execute(String sql) {
    try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This node's database for JDBC (user and password postgres), e.g. for a DataSource. */
  public String jdbcUrl() {
    return TestDatabase.jdbcUrl(database);
  }

  /** A connection of the test's own to this node's database, e.g. to hold a lock; close it. */
  public Connection jdbc() throws SQLException {
    return connection();
  }

  private Connection connection() throws SQLException {
    return DriverManager.getConnection(TestDatabase.jdbcUrl(database), "postgres", "postgres");
  }

  /** Stops the node; a second call does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      gateway.stop().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not stop", e);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
