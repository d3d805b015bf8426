package com.learncoin.gateway.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Valid batch bodies to start from; tests break one field at a time. */
public final class Batches {
  private Batches() {}

  public static JsonObject credential() {
    return new JsonObject()
        .put("recipient", new JsonObject()
            .put("id", "urn:uuid:" + UUID.randomUUID())
            .put("name", "Ada Lovelace"))
        .put("issuanceDate", "2026-11-27T10:00:00Z")
        .put("expirationDate", "2030-01-01T00:00:00Z")
        .put("achievement", new JsonObject()
            .put("id", "https://example.edu/achievements/welding-1")
            .put("name", "Welding Level 1")
            .put("description", "Safe MIG welding of mild steel.")
            .put("criteria", new JsonObject().put("narrative", "Passed the practical exam."))
            .put("alignment", new JsonArray().add(new JsonObject()
                .put("targetName", "welding")
                .put("targetUrl", "https://esco.ec.europa.eu/en/classification/skill")
                .put("targetFramework", "ESCO")
                .put("targetCode", "S6.13.1"))));
  }

  public static JsonObject of(int count) {
    JsonArray credentials = new JsonArray();
    for (int i = 0; i < count; i++) {
      credentials.add(credential());
    }
    return new JsonObject().put("credentials", credentials);
  }

  public static JsonObject with(JsonObject credential) {
    return new JsonObject().put("credentials", new JsonArray().add(credential));
  }

  /** Polls the batch until it has the status (or fails the test after two minutes). */
  public static JsonObject awaitStatus(TestGateway app, String key, String batchId, String status) {
    return Eventually.await("batch " + batchId + " reaching " + status, Duration.ofMinutes(2),
        () -> Optional.of(app.get("/v1/batches/" + batchId, key).assertStatus(200).json())
            .filter(batch -> status.equals(batch.getString("status"))));
  }

  /** The batch's first credential once it is signed. */
  public static JsonObject awaitCredential(TestGateway app, String key, String batchId) {
    return Eventually.await("a signed credential in " + batchId, Duration.ofMinutes(2),
        () -> Optional.of(app.get("/v1/batches/" + batchId + "/credentials", key).assertStatus(200)
            .json().getJsonArray("data").getJsonObject(0))
            .filter(credential -> credential.getValue("credential") != null));
  }


}
