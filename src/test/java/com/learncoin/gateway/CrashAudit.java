package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.admin.AdminTokens;
import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.support.ChainAudit;
import com.learncoin.gateway.support.CrashClients;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What must hold after CrashRecoveryIT's last restart, checked in the database, through the API,
 * and on chain (read block by block, not through our tables): each accepted order has one batch,
 * anchored by one transaction carrying its root, with exactly the credentials posted, counted once
 * in the tenant's usage.
 */
final class CrashAudit {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  record Tenant(String id, String apiKey) {}

  /** Batches and credentials checked, and anchoring transactions found on chain. */
  record Figures(int batches, long credentials, int anchors, Set<String> txHashes) {
    @Override
    public String toString() {
      return batches + " batches / " + credentials + " credentials checked, " + anchors
          + " anchoring transactions on chain";
    }
  }

  private record Batch(String id, String key, int count, String status, String root,
      JsonObject anchor) {}

  private final Connection db;
  private final ChainAudit chain;
  private final CrashClients clients;
  private final Tenant tenant;
  private final String baseUrl;

  CrashAudit(Connection db, ChainAudit chain, CrashClients clients, Tenant tenant, String baseUrl) {
    this.db = db;
    this.chain = chain;
    this.clients = clients;
    this.tenant = tenant;
    this.baseUrl = baseUrl;
  }

  /** An industry tenant (its rate limit leaves room for the clients) and a test key. */
  static Tenant tenant(String baseUrl, String adminSecret) throws Exception {
    Vertx vertx = Vertx.vertx();
    String admin;
    try {
      admin = AdminTokens.mint(AdminTokens.auth(vertx, adminSecret), 60);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    String id = send(baseUrl, "POST", "/admin/v1/tenants", admin,
        "{\"name\": \"Crash School\", \"plan\": \"industry\"}", 201).getString("id");
    String key = send(baseUrl, "POST", "/admin/v1/tenants/" + id + "/keys", admin,
        "{\"environment\": \"test\", \"ip_allowlist\": []}", 201).getString("key");
    return new Tenant(id, key);
  }

  /** True when {@code tx} was replaced in a round that is anchored (by another of its own). */
  static boolean replacedInAnchoredRound(Connection db, String tx) {
    try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM batches "
        + "WHERE status = 'anchored' AND ? = ANY(anchor_replaced)")) {
      s.setString(1, tx);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static long unfinished(Connection db) {
    try (PreparedStatement s = db.prepareStatement(
        "SELECT count(*) FROM batches WHERE status NOT IN ('anchored', 'failed')");
         ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Figures verify() throws Exception {
    Map<String, CrashClients.Order> orders = clients.orders();
    Map<String, String> answered = clients.batchOfKey();
    List<Batch> batches = batches();

    // One batch per idempotency key, and it is the one the client was told about.
    assertThat(batches).extracting(Batch::key).doesNotContainNull().doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(orders.keySet());
    long credentials = 0;
    for (Batch batch : batches) {
      assertThat(batch.id()).as("batch of key %s", batch.key())
          .isEqualTo(answered.get(batch.key()));
      assertThat(batch.status()).as("status of %s", batch.id()).isEqualTo("anchored");
      assertThat(batch.count()).isEqualTo(orders.get(batch.key()).count());
      credentials += batch.count();
    }

    // Credentials: exactly what was posted, each signed, active and with its receipt.
    Map<String, long[]> rows = credentialRows();
    for (Batch batch : batches) {
      long expected = batch.count();
      assertThat(rows.get(batch.id())).as("credentials of %s: rows, signed, active", batch.id())
          .containsExactly(expected, expected, expected);
      // The receipt leads to the root in the transaction: the batch's round's root.
      assertThat(apiCredentials(batch.id(), batch.anchor().getString("merkle_root")))
          .as("credentials listed for %s", batch.id()).isEqualTo(expected);
      JsonObject shown = send(baseUrl, "GET", "/v1/batches/" + batch.id(), tenant.apiKey(), null,
          200);
      assertThat(shown.getString("status")).isEqualTo("anchored");
      assertThat(shown.getJsonObject("anchor")).isEqualTo(batch.anchor());
    }
    assertThat(query("SELECT count(DISTINCT vc::jsonb -> 'proof' -> 0 ->> 'verificationMethod') "
        + "FROM credentials")).as("one signing key across every restart").isEqualTo(1);
    assertThat(query("SELECT count(*) FROM signing_keys WHERE tenant_id = '" + tenant.id()
        + "' AND environment = 'test'")).as("the tenant's test key, made once").isEqualTo(1);

    // The quota: reserved once per accepted batch, never for a lost answer's retry.
    assertThat(query("SELECT sum(credentials) FROM monthly_usage WHERE tenant_id = '"
        + tenant.id() + "' AND environment = 'test'")).isEqualTo(credentials);
    if (query("SELECT count(*) FROM monthly_usage WHERE tenant_id = '" + tenant.id() + "'") == 1) {
      JsonObject usage = send(baseUrl, "GET", "/v1/tenants/" + tenant.id(), tenant.apiKey(), null,
          200).getJsonObject("usage");
      assertThat(usage.getJsonObject("credentials_issued").getLong("test")).isEqualTo(credentials);
    }

    // The chain, read block by block: one successful transaction per round, carrying the round's
    // root; every batch in exactly one round, and no round anchored twice.
    List<ChainAudit.Anchor> anchors = chain.anchors();
    assertThat(anchors).extracting(ChainAudit.Anchor::success).containsOnly(true);
    assertThat(anchors).extracting(ChainAudit.Anchor::root).as("roots anchored")
        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(batches.stream()
            .map(b -> b.anchor().getString("merkle_root")).distinct().toList());
    Map<String, ChainAudit.Anchor> byRoot = new HashMap<>();
    anchors.forEach(a -> byRoot.put(a.root(), a));
    for (Batch batch : batches) {
      ChainAudit.Anchor onChain = byRoot.get(batch.anchor().getString("merkle_root"));
      assertThat(batch.anchor().getString("tx_hash")).isEqualToIgnoringCase(onChain.txHash());
      assertThat(batch.anchor().getLong("block_number")).isEqualTo(onChain.blockNumber());
      assertThat(batch.anchor().getString("batch_root")).isEqualTo(batch.root());
    }

    // A late duplicate of any order still names its one batch.
    Set<String> replayed = new HashSet<>();
    for (CrashClients.Order order : orders.values()) {
      HttpResponse<String> again = clients.post(order);
      assertThat(again.statusCode()).as("replay of %s: %s", order.key(), again.body())
          .isEqualTo(202);
      replayed.add(new JsonObject(again.body()).getString("id"));
    }
    assertThat(replayed).containsExactlyInAnyOrderElementsOf(answered.values());
    Set<String> txHashes = new HashSet<>();
    anchors.forEach(a -> txHashes.add(a.txHash()));
    return new Figures(batches.size(), credentials, anchors.size(), txHashes);
  }

  private List<Batch> batches() throws SQLException {
    List<Batch> batches = new java.util.ArrayList<>();
    try (PreparedStatement s = db.prepareStatement("SELECT id, idempotency_key, count, status, "
        + "merkle_root, anchor::text FROM batches WHERE tenant_id = ?")) {
      s.setString(1, tenant.id());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String anchor = rs.getString(6);
          batches.add(new Batch(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
              rs.getString(5), anchor == null ? null : new JsonObject(anchor)));
        }
      }
    }
    return batches;
  }

  /** Per batch: credential rows, rows with a signed credential, rows active. */
  private Map<String, long[]> credentialRows() throws SQLException {
    Map<String, long[]> rows = new HashMap<>();
    try (PreparedStatement s = db.prepareStatement("SELECT batch_id, count(*), count(vc), "
        + "count(*) FILTER (WHERE status = 'active') FROM credentials GROUP BY batch_id");
         ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
      }
    }
    return rows;
  }

  /**
   * Pages through GET /v1/batches/{id}/credentials: every credential, hashed as returned, must
   * lead along its receipt's path to the root anchored for its batch.
   */
  private long apiCredentials(String batchId, String root) throws Exception {
    long seen = 0;
    String after = null;
    while (true) {
      JsonObject page = send(baseUrl, "GET", "/v1/batches/" + batchId + "/credentials?limit=100"
          + (after == null ? "" : "&starting_after=" + after), tenant.apiKey(), null, 200);
      for (Object item : page.getJsonArray("data")) {
        JsonObject credential = (JsonObject) item;
        assertThat(credential.getJsonObject("anchor")).as("receipt of %s",
            credential.getString("id")).isNotNull();
        assertThat(fold(credential)).as("root reached from %s", credential.getString("id"))
            .isEqualTo(root);
        after = credential.getString("id");
        seen++;
      }
      if (!page.getBoolean("has_more")) {
        return seen;
      }
    }
  }

  private static String fold(JsonObject credential) {
    byte[] node = MerkleTree.sha256(credential.getJsonObject("credential").encode()
        .getBytes(StandardCharsets.UTF_8));
    for (Object step : credential.getJsonObject("anchor").getJsonArray("path")) {
      JsonObject sibling = (JsonObject) step;
      node = sibling.containsKey("left")
          ? MerkleTree.sha256(concat(MerkleTree.unhex(sibling.getString("left")), node))
          : MerkleTree.sha256(concat(node, MerkleTree.unhex(sibling.getString("right"))));
    }
    return MerkleTree.hex(node);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private long query(String sql) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static JsonObject send(String baseUrl, String method, String path, String bearer,
      String json, int expected) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + bearer)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> reply = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as("%s %s: %s", method, path, reply.body()).isEqualTo(expected);
    return new JsonObject(reply.body());
  }
}
