package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.GatewayTest.TenantId;
import com.learncoin.gateway.support.GatewayTest.TenantKey;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest(env = "LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true")
@DisplayName("/v1/webhooks: endpoints of the caller's tenant and environment, secrets shown once")
class WebhookEndpointsTest {
  private static TestGateway app;
  @TenantId private static String tenant;
  @TenantKey private static String key;

  static Reply create(TestGateway gateway, String apiKey, String url, String... events) {
    return gateway.post("/v1/webhooks", apiKey, new JsonObject().put("url", url)
        .put("events", new JsonArray(java.util.List.of((Object[]) events))).encode());
  }

  @Test
  @DisplayName("create (201, whsec_ secret once), get, list, delete (204), then 404")
  void lifecycle() {
    JsonObject created = create(app, key, "https://hooks.example.com/lc", "batch.anchored",
        "credential.revoked").assertStatus(201).json();
    String id = created.getString("id");
    assertThat(id).startsWith("wh_");
    assertThat(created.getString("object")).isEqualTo("webhook_endpoint");
    assertThat(created.getString("status")).isEqualTo("enabled");
    assertThat(created.getString("secret")).matches("whsec_[A-Za-z0-9+/]{32}");
    assertThat(created.getJsonArray("events")).containsExactly("batch.anchored",
        "credential.revoked");

    JsonObject read = app.get("/v1/webhooks/" + id, key).assertStatus(200).json();
    assertThat(read.getString("url")).isEqualTo("https://hooks.example.com/lc");
    assertThat(read.containsKey("secret")).isFalse();
    JsonObject list = app.get("/v1/webhooks?limit=100", key).assertStatus(200).json();
    assertThat(list.getString("object")).isEqualTo("list");
    assertThat(list.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")))
        .contains(id);
    assertThat(list.encode()).doesNotContain("whsec_");

    Reply deleted = app.send("DELETE", "/v1/webhooks/" + id, null, "Authorization",
        "Bearer " + key).assertStatus(204);
    assertThat(deleted.raw().body()).isEmpty();
    app.get("/v1/webhooks/" + id, key).assertError(404, "webhook_not_found");
    app.send("DELETE", "/v1/webhooks/" + id, null, "Authorization", "Bearer " + key)
        .assertError(404, "webhook_not_found");
  }

  @Test
  @DisplayName("lists page with limit and starting_after")
  void pages() {
    String other = app.key(app.tenant("industry"), "test").getString("key");
    String a = create(app, other, "https://a.example.com/", "batch.failed").json().getString("id");
    String b = create(app, other, "https://b.example.com/", "batch.failed").json().getString("id");
    JsonObject first = app.get("/v1/webhooks?limit=1", other).assertStatus(200).json();
    assertThat(first.getBoolean("has_more")).isTrue();
    assertThat(first.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(a);
    JsonObject second = app.get("/v1/webhooks?limit=1&starting_after=" + a, other).json();
    assertThat(second.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(b);
    assertThat(second.getBoolean("has_more")).isFalse();
    app.get("/v1/webhooks?limit=0", other).assertError(400, "invalid_field_format");
  }

  @Test
  @DisplayName("another tenant's or environment's webhook, or an unknown id, is 404 webhook_not_found")
  void foreign() {
    String id = create(app, key, "https://hooks.example.com/f", "batch.anchored").json()
        .getString("id");
    String stranger = app.newTestKey("industry");
    String live = app.key(tenant, "live").getString("key");
    for (String other : new String[] {stranger, live}) {
      app.get("/v1/webhooks/" + id, other).assertError(404, "webhook_not_found");
      app.get("/v1/webhooks/" + id + "/deliveries", other).assertError(404, "webhook_not_found");
      app.post("/v1/webhooks/" + id + "/deliveries/whd_X/retry", other, null)
          .assertError(404, "webhook_not_found");
      app.send("DELETE", "/v1/webhooks/" + id, null, "Authorization", "Bearer " + other)
          .assertError(404, "webhook_not_found");
    }
    app.get("/v1/webhooks/wh_01NOPE", key).assertError(404, "webhook_not_found");
    app.post("/v1/webhooks/" + id + "/deliveries/whd_01NOPE/retry", key, null)
        .assertError(404, "webhook_not_found");
    app.get("/v1/webhooks/" + id, key).assertStatus(200);
  }

  @Test
  @DisplayName("bad url or events is 400 naming the field; live endpoints need https")
  void validation() {
    assertThat(app.post("/v1/webhooks", key, "{\"events\":[\"batch.anchored\"]}")
        .assertError(400, "missing_required_field").getString("message")).contains("url");
    assertThat(create(app, key, "not a url", "batch.anchored")
        .assertError(400, "invalid_field_format").getString("message")).contains("url");
    assertThat(create(app, key, "ftp://example.com/x", "batch.anchored")
        .assertError(400, "invalid_field_format").getString("message")).contains("url");
    assertThat(app.post("/v1/webhooks", key, "{\"url\":\"https://example.com/\"}")
        .assertError(400, "missing_required_field").getString("message")).contains("events");
    assertThat(create(app, key, "https://example.com/")
        .assertError(400, "invalid_field_format").getString("message")).contains("events");
    assertThat(create(app, key, "https://example.com/", "batch.anchored", "batch.exploded")
        .assertError(400, "invalid_field_format").getString("message")).contains("events[1]");
    String live = app.key(tenant, "live").getString("key");
    assertThat(create(app, live, "http://hooks.example.com/", "batch.anchored")
        .assertError(400, "invalid_field_format").getString("message")).contains("url");
    create(app, live, "https://hooks.example.com/", "batch.anchored").assertStatus(201);
  }

  @Test
  @DisplayName("without the allow flag, loopback, private and link-local targets are refused")
  void ssrf(Vertx vertx) {
    try (TestGateway strict = TestGateway.start(vertx)) {
      String strictKey = strict.newTestKey("industry");
      for (String url : new String[] {"http://127.0.0.1/", "https://10.0.0.1/hook",
          "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/", "http://localhost/",
          "https://192.168.1.10/", "http://0.0.0.0/"}) {
        assertThat(create(strict, strictKey, url, "batch.anchored")
            .assertError(400, "invalid_field_format").getString("message")).as(url)
            .contains("url");
      }
    }
  }
}
