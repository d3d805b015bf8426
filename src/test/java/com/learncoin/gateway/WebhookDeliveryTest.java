package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import com.learncoin.gateway.support.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest(env = {"LEARNCOIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true",
    "LEARNCOIN_WEBHOOK_RETRY_BASE_MILLIS=200"})
@DisplayName("Webhook deliveries: signed Standard Webhooks messages, retried, logged, durable")
class WebhookDeliveryTest {
  private static TestGateway app;

  private static JsonObject endpoint(String key, String url, String... events) {
    return WebhookEndpointsTest.create(app, key, url, events).assertStatus(201).json();
  }

  @Test
  @DisplayName("batch.anchored arrives with a signature that an independent HMAC check accepts")
  void anchoredAndSigned() throws Exception {
    String key = app.newTestKey("industry");
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String secret = endpoint(key, receiver.url(), "batch.anchored").getString("secret");
      String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).json().getString("id");
      Batches.awaitStatus(app, key, batchId, "anchored");
      await(() -> !receiver.received().isEmpty());
      WebhookReceiver.Received got = receiver.received().get(0);
      assertThat(got.id()).startsWith("evt_");
      assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(got.timestamp())))
          .isLessThan(60);
      byte[] keyBytes = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
      byte[] expected = mac.doFinal((got.id() + "." + got.timestamp() + "." + got.body())
          .getBytes(StandardCharsets.UTF_8));
      assertThat(got.signature()).startsWith("v1,");
      byte[] actual = Base64.getDecoder().decode(got.signature().substring(3));
      assertThat(MessageDigest.isEqual(expected, actual)).as("signature verifies").isTrue();
      JsonObject body = got.json();
      assertThat(body.getString("type")).isEqualTo("batch.anchored");
      assertThat(body.getString("timestamp")).isNotBlank();
      assertThat(body.getJsonObject("data").getString("batch_id")).isEqualTo(batchId);
    }
  }

  @Test
  @DisplayName("credential.revoked and credential.erased carry ids only, never the learner's data")
  void revokedAndErased() {
    String key = app.newTestKey("industry");
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      endpoint(key, receiver.url(), "credential.revoked", "credential.erased");
      String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).json().getString("id");
      Batches.awaitStatus(app, key, batchId, "anchored");
      JsonObject credential = Batches.awaitCredential(app, key, batchId);
      String id = credential.getString("id");
      app.post("/v1/credentials/" + id + "/revoke", key, null).assertStatus(200);
      app.post("/v1/credentials/" + id + "/erase", key, null).assertStatus(200);
      await(() -> receiver.received().size() >= 2);
      assertThat(receiver.received()).extracting(r -> r.json().getString("type"))
          .containsExactlyInAnyOrder("credential.revoked", "credential.erased");
      for (WebhookReceiver.Received r : receiver.received()) {
        assertThat(r.json().getJsonObject("data").getString("credential_id")).isEqualTo(id);
        assertThat(r.body()).doesNotContain(credential.getString("recipient_id"));
      }
      assertThat(app.queryLong("SELECT count(*) FROM webhook_events WHERE payload::text LIKE ?",
          "%" + credential.getString("recipient_id") + "%")).isZero();
    }
  }

  @Test
  @DisplayName("a receiver failing twice then succeeding: three attempts in the delivery log")
  void retries() {
    String key = app.newTestKey("industry");
    try (WebhookReceiver receiver = new WebhookReceiver(500, 500)) {
      String id = endpoint(key, receiver.url(), "batch.anchored").getString("id");
      String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).json().getString("id");
      Batches.awaitStatus(app, key, batchId, "anchored");
      await(() -> "succeeded".equals(firstDelivery(key, id).getString("status")));
      JsonObject delivery = firstDelivery(key, id);
      assertThat(delivery.getString("id")).startsWith("whd_");
      assertThat(delivery.getInteger("attempts")).isEqualTo(3);
      JsonArray log = delivery.getJsonArray("log");
      assertThat(log).hasSize(3);
      assertThat(log.getJsonObject(0).getInteger("status_code")).isEqualTo(500);
      assertThat(log.getJsonObject(1).getInteger("status_code")).isEqualTo(500);
      assertThat(log.getJsonObject(2).getInteger("status_code")).isEqualTo(200);
      assertThat(receiver.received()).hasSize(3);
      assertThat(receiver.received()).extracting(WebhookReceiver.Received::id).containsOnly(
          delivery.getString("event_id"));

      JsonObject retried = app.post("/v1/webhooks/" + id + "/deliveries/" + delivery.getString("id")
          + "/retry", key, null).assertStatus(202).json();
      assertThat(retried.getString("status")).isEqualTo("pending");
      await(() -> receiver.received().size() == 4);
      await(() -> firstDelivery(key, id).getInteger("attempts") == 4);
    }
  }

  @Test
  @DisplayName("410 Gone disables the endpoint")
  void gone() {
    String key = app.newTestKey("industry");
    try (WebhookReceiver receiver = new WebhookReceiver(410)) {
      String id = endpoint(key, receiver.url(), "batch.anchored").getString("id");
      String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).json().getString("id");
      Batches.awaitStatus(app, key, batchId, "anchored");
      await(() -> "disabled".equals(app.get("/v1/webhooks/" + id, key).json().getString("status")));
      JsonObject delivery = firstDelivery(key, id);
      assertThat(delivery.getString("status")).isEqualTo("disabled");
      assertThat(delivery.getInteger("last_status_code")).isEqualTo(410);
      assertThat(receiver.received()).hasSize(1);
    }
  }

  @Test
  @DisplayName("a delivery pending across a restart is delivered by the restarted node")
  void survivesRestart() {
    String key = app.newTestKey("industry");
    try (WebhookReceiver receiver = new WebhookReceiver(503, 503, 503, 503, 503, 503, 503, 503)) {
      String id = endpoint(key, receiver.url(), "batch.anchored").getString("id");
      String batchId = app.post("/v1/batches", key, Batches.of(1).encode()).json().getString("id");
      Batches.awaitStatus(app, key, batchId, "anchored");
      await(() -> receiver.received().size() >= 2);
      app.close();
      long attemptsBefore = app.queryLong("SELECT attempts FROM webhook_deliveries d "
          + "WHERE endpoint_id = ? AND status = 'pending'", id);
      int receivedBefore = receiver.received().size();
      assertThat(attemptsBefore).isEqualTo(receivedBefore);
      receiver.succeedFromNowOn();
      app = app.restart();
      await(() -> "succeeded".equals(firstDelivery(key, id).getString("status")));
      JsonObject delivery = firstDelivery(key, id);
      assertThat(delivery.getInteger("attempts")).isEqualTo(receivedBefore + 1);
      JsonArray log = delivery.getJsonArray("log");
      assertThat(log).hasSize(receivedBefore + 1);
      assertThat(log.getJsonObject(log.size() - 1).getInteger("status_code")).isEqualTo(200);
      assertThat(receiver.received()).hasSize(receivedBefore + 1);
    }
  }

  private static JsonObject firstDelivery(String key, String webhookId) {
    JsonArray data = app.get("/v1/webhooks/" + webhookId + "/deliveries", key).assertStatus(200)
        .json().getJsonArray("data");
    return data.isEmpty() ? new JsonObject().put("attempts", 0) : data.getJsonObject(0);
  }

  private static void await(BooleanSupplier condition) {
    Eventually.await("the delivery condition", Duration.ofSeconds(30), condition);
  }
}
