package com.learncoin.gateway;

import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.anchoring.ChainClient;
import com.learncoin.gateway.anchoring.Chains;
import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.anchoring.Wallets;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestChains;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("A batch becomes signed Open Badges anchored on chain")
class IssuancePipelineTest {
  private static TestGateway app;
  @TenantKey private static String key;

  @Test
  @DisplayName("a batch of 500 reaches anchored, and every Merkle path leads to the root in the transaction")
  void fiveHundred() {
    Reply accepted = app.post("/v1/batches", key, Batches.of(500).encode()).assertStatus(202);
    String batchId = accepted.json().getString("id");
    JsonObject batch = Batches.awaitStatus(app, key, batchId, "anchored");
    JsonObject anchor = batch.getJsonObject("anchor");
    assertThat(anchor.getLong("chain_id")).isEqualTo(84_532L);
    assertThat(batch.getValue("last_error")).isNull();

    byte[] root = MerkleTree.unhex(anchor.getString("merkle_root"));
    try (ChainClient chain = reader(TestChains.testRpc(), TEST_CHAIN_ID)) {
      assertThat(chain.transactionInput(anchor.getString("tx_hash"))).isEqualTo(root);
    }
    List<JsonObject> credentials = allCredentials(batchId);
    assertThat(credentials).hasSize(500);
    Set<String> ids = new HashSet<>();
    for (JsonObject credential : credentials) {
      ids.add(credential.getString("id"));
      assertThat(credential.getString("status")).isEqualTo("active");
      JsonObject vc = credential.getJsonObject("credential");
      assertThat(vc.getJsonArray("type")).contains("OpenBadgeCredential");
      assertThat(DataIntegrityProofs.onlyProof(vc).getString("cryptosuite")).isEqualTo("eddsa-rdfc-2022");
      JsonObject receipt = credential.getJsonObject("anchor");
      byte[] leaf = MerkleTree.sha256(vc.encode().getBytes(StandardCharsets.UTF_8));
      assertThat(receipt.getString("leaf")).isEqualTo(MerkleTree.hex(leaf));
      assertThat(receipt.getString("tx_hash")).isEqualTo(anchor.getString("tx_hash"));
      assertThat(MerkleTree.verify(leaf, receipt.getJsonArray("path"), root)).isTrue();
    }
    assertThat(ids).hasSize(500);
    assertThat(app.get("/v1/credentials/" + credentials.get(7).getString("id"), key)
        .assertStatus(200).json()).isEqualTo(credentials.get(7));
  }

  @Test
  @DisplayName("a live key's batch is anchored on the Base chain id")
  void liveNetwork() {
    String tenant = app.tenant("institution");
    String live = app.key(tenant, "live").getString("key");
    String batchId = app.post("/v1/batches", live, Batches.of(2).encode()).assertStatus(202)
        .json().getString("id");
    JsonObject batch = Batches.awaitStatus(app, live, batchId, "anchored");
    assertThat(batch.getString("network")).isEqualTo("base");
    assertThat(batch.getJsonObject("anchor").getLong("chain_id")).isEqualTo(8_453L);
  }

  @Test
  @DisplayName("credentials of other tenants or unknown ids are 404 credential_not_found")
  void credentialNotFound() {
    String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).json().getString("id");
    String credentialId = app.get("/v1/batches/" + batchId + "/credentials", key).assertStatus(200)
        .json().getJsonArray("data").getJsonObject(0).getString("id");
    app.get("/v1/credentials/" + credentialId, key).assertStatus(200);
    app.get("/v1/credentials/" + credentialId, app.newTestKey("starter"))
        .assertError(404, "credential_not_found");
    app.get("/v1/credentials/cred_nope", key).assertError(404, "credential_not_found");
    app.get("/v1/batches/bat_nope/credentials", key).assertError(404, "batch_not_found");
  }

  @Test
  @DisplayName("pages hold limit credentials, follow starting_after, and reject bad cursors")
  void pagination() {
    String batchId = app.post("/v1/batches", key, Batches.of(5).encode()).json().getString("id");
    JsonObject first = app.get("/v1/batches/" + batchId + "/credentials?limit=2", key)
        .assertStatus(200).json();
    assertThat(first.getString("object")).isEqualTo("list");
    assertThat(first.getJsonArray("data")).hasSize(2);
    assertThat(first.getBoolean("has_more")).isTrue();
    String last = first.getJsonArray("data").getJsonObject(1).getString("id");
    JsonObject rest = app.get("/v1/batches/" + batchId + "/credentials?limit=10&starting_after="
        + last, key).assertStatus(200).json();
    assertThat(rest.getJsonArray("data")).hasSize(3);
    assertThat(rest.getBoolean("has_more")).isFalse();
    assertThat(app.get("/v1/batches/" + batchId + "/credentials?limit=0", key)
        .assertError(400, "invalid_field_format").getString("message")).contains("limit");
    assertThat(app.get("/v1/batches/" + batchId + "/credentials?limit=abc", key)
        .assertError(400, "invalid_field_format").getString("message")).contains("limit");
    assertThat(app.get("/v1/batches/" + batchId + "/credentials?starting_after=cred_x", key)
        .assertError(400, "invalid_field_format").getString("message")).contains("starting_after");
  }

  @Test
  @DisplayName("the status list of a credential is public, signed, and cacheable with an ETag")
  void statusList() {
    String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).json().getString("id");
    JsonObject credential = Batches.awaitCredential(app, key, batchId);
    String listUrl = credential.getJsonObject("credential").getJsonObject("credentialStatus")
        .getString("statusListCredential");
    // Port 0: the default public base URL names the port the HTTP servers were bound to.
    assertThat(listUrl).startsWith("http://localhost:" + app.gateway().port() + "/status/");
    String path = listUrl.substring(listUrl.indexOf("/status/"));
    Reply list = app.send("GET", path, null).assertStatus(200);
    JsonObject vc = list.json();
    assertThat(vc.getJsonArray("type")).contains("BitstringStatusListCredential");
    assertThat(vc.getJsonObject("credentialSubject").getString("encodedList")).startsWith("u");
    assertThat(DataIntegrityProofs.onlyProof(vc).getString("cryptosuite")).isEqualTo("eddsa-rdfc-2022");
    assertThat(list.header("Cache-Control")).contains("max-age");
    app.send("GET", path, null, "If-None-Match", list.header("ETag")).assertStatus(304);
    app.send("GET", "/status/sl_unknown", null).assertError(404, "route_not_found");
  }

  @Test
  @DisplayName("a credential issued through the API, with its status list fetched over HTTP, "
      + "verifies with Digital Bazaar's verifiers and is not revoked")
  void interoperable() throws Exception {
    String batchId = app.post("/v1/batches", key, Batches.of(2).encode()).json().getString("id");
    Batches.awaitStatus(app, key, batchId, "anchored");
    JsonObject vc = Batches.awaitCredential(app, key, batchId).getJsonObject("credential");
    String listUrl = vc.getJsonObject("credentialStatus").getString("statusListCredential");
    JsonObject list = app.send("GET", listUrl.substring(listUrl.indexOf("/status/")), null)
        .assertStatus(200).json();
    JsonObject result = new NodeVerifier().verify(vc, list);
    assertThat(result.getBoolean("verified")).as(result.encode()).isTrue();
    assertThat(result.getBoolean("revoked")).isFalse();
    vc.getJsonObject("credentialSubject").put("id", "urn:uuid:" + java.util.UUID.randomUUID());
    assertThat(new NodeVerifier().verify(vc, list).getBoolean("verified")).isFalse();
  }

  private static List<JsonObject> allCredentials(String batchId) {
    List<JsonObject> all = new ArrayList<>();
    String after = null;
    boolean more = true;
    while (more) {
      JsonObject page = app.get("/v1/batches/" + batchId + "/credentials?limit=100"
          + (after == null ? "" : "&starting_after=" + after), key).assertStatus(200).json();
      JsonArray data = page.getJsonArray("data");
      data.forEach(c -> all.add((JsonObject) c));
      after = data.getJsonObject(data.size() - 1).getString("id");
      more = page.getBoolean("has_more");
    }
    return all;
  }

  static ChainClient reader(String rpc, long chainId) {
    return new ChainClient(rpc, chainId, Wallets.loadOrCreate(tempKey()));
  }

  private static java.nio.file.Path tempKey() {
    try {
      return java.nio.file.Files.createTempDirectory("reader").resolve(Chains.WALLET_KEY_FILE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
