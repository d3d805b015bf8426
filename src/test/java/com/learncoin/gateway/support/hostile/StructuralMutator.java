package com.learncoin.gateway.support.hostile;

import static com.learncoin.gateway.anchoring.Networks.TEST_CHAIN_ID;

import com.learncoin.gateway.support.Batches;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * Valid requests (batches, webhook endpoints, verify bodies) mutated field by field: wrong types,
 * missing, extra, huge, unicode edge cases, numbers and sizes at the limits. A batch carries one
 * poisoned credential that no reading of the contract accepts, placed anywhere among up to 500
 * others that carry mutations which may or may not be valid, so the validator has to walk deep
 * into the body before it finds the fault; and nothing of such a batch may be stored.
 */
final class StructuralMutator {
  private static final String AL = "achievement.alignment.0.";
  private static final String[] REQUIRED = {"recipient", "recipient.id", "issuanceDate", "achievement",
      "achievement.name", "achievement.description", "achievement.criteria", AL + "targetName",
      AL + "targetUrl", AL + "targetFramework"};
  private static final String[] STRINGS = {"recipient.id", "recipient.name", "recipient.email",
      "issuanceDate", "expirationDate", "achievement.id", "achievement.name", "achievement.description",
      "achievement.criteria.narrative", AL + "targetName", AL + "targetUrl", AL + "targetFramework",
      AL + "targetCode"};
  private static final String[] OBJECTS = {"recipient", "achievement", "achievement.criteria",
      "achievement.alignment.0"};
  private static final String[] OPTIONAL = {"recipient.name", "recipient.email", "expirationDate",
      "achievement.id", "achievement.alignment", "achievement.criteria.narrative", AL + "targetCode"};
  private static final String[] TEXTS = {"recipient.name", "achievement.name", "achievement.description",
      "achievement.criteria.narrative", AL + "targetName", AL + "targetCode"};
  private static final String[] BAD_IDS = {"urn:uuid:c232ab00-9414-11ec-b3c8-9f6bdeced846",
      "0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21", "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b2",
      "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7bg1", "urn:uuid:{0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21}",
      "urn:uuid:00000000-0000-0000-0000-000000000000", "urn:uuid:", "", "urn:uuid:٠b5d0c5e-3f8e-4b8a-9d6e-"
      + "2f4c1f0a7b21", "urn:uuid:0b5d0c5e3f8e4b8a9d6e2f4c1f0a7b21", "mailto:ada@example.edu"};
  private static final String[] BAD_DATES = {"2026-13-01T00:00:00Z", "2026-11-27", "2026-11-27T10:00:00",
      "yesterday", "2026-02-30T00:00:00Z", "9999-99-99T99:99:99Z", "", "2026-11-27T25:00:00Z",
      "2026-11-27T10:00:00+25:00", "2026-11-27 10:00:00Z", "2026-11-27T10:00:00.Z", "1764237600",
      "٢٠٢٦-11-27T10:00:00Z"};
  private static final String[] EDGE_DATES = {"9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
      "2026-11-27T10:00:00.123456789+14:00", "2026-11-27T10:00:00-12:00", "2000-02-29T00:00:00Z",
      "2016-12-31T23:59:60Z", "0001-01-01T00:00:00Z"};
  private static final String[] BAD_FRAMEWORKS = {"esco", "ESCO ", "ＥＳＣＯ", "", "O*NET\u0000", "ISCED",
      "custom", "ESCO,O*NET", "ONET"};
  private static final String[] BAD_URLS = {"esco", "/relative/path", "", "http//x", "://x", "https://",
      " https://x", "https://exa mple.com", "ht!tp://x", "?q=1", "#top"};
  private static final String[] NASTY_TEXT = {"Ada\u202eecalevoL", "\u200b", "😀".repeat(100), "e\u0301",
      "ﬁǄİ\ufeff", "ᚠᛇᚻ ᛒᛦᚦ", "مرحبا", "\u1100\u1161\u11a8", "Z̴̡̛̖͓̽a̸̢̠̓l̵̡̈́g̶̗̽o̸", "a".repeat(9_999),
      "<script>alert(1)</script>", "'; DROP TABLE credentials; --", "\\u0000", "%s%n%x", "\t\n\r"};
  private static final Object[] WRONG = {0, -1, 1.5, true, false, Long.MAX_VALUE, Double.MAX_VALUE,
      new BigDecimal("1e400"), new BigDecimal("-0.0"), new JsonArray(), new JsonObject(),
      new JsonArray().add("x"), new JsonObject().put("a", "b")};
  private static final String[] EVENTS = {"batch.anchored", "batch.failed", "credential.revoked",
      "credential.erased"};

  private final HostileCases g;

  StructuralMutator(HostileCases g) {
    this.g = g;
  }

  void next() {
    int dice = g.r.nextInt(100);
    if (dice < 70) {
      batch();
    } else if (dice < 85) {
      webhook();
    } else {
      verify();
    }
  }

  /** Up to 6 credentials (now and then 500), one poisoned, the others maybe-valid. */
  private void batch() {
    int count = g.r.nextInt(50) == 0 ? 500 : 1 + g.r.nextInt(6);
    int poisoned = g.r.nextInt(count);
    JsonArray credentials = new JsonArray();
    StringBuilder what = new StringBuilder();
    for (int i = 0; i < count; i++) {
      JsonObject credential = Batches.credential();
      Object value = credential;
      if (i == poisoned) {
        value = poison(credential, what.append("[").append(i).append("] poisoned: "));
      } else if (g.r.nextInt(count > 6 ? 20 : 2) == 0) {
        benign(credential, what.append("[").append(i).append("] "));
      }
      credentials.add(value);
    }
    JsonObject body = new JsonObject().put("credentials", credentials);
    if (g.r.nextBoolean()) {
      body.put("network", "base-sepolia");
    }
    if (g.r.nextInt(5) == 0) {
      body.put(g.pick(new String[] {"extra", "credentials_", "__proto__", "metadata"}), g.pick(WRONG));
    }
    send("POST /v1/batches " + count + " credentials, " + what, "/v1/batches", body);
  }

  /** Changes no reading of the contract must refuse, and some it may. */
  private void benign(JsonObject credential, StringBuilder what) {
    switch (g.r.nextInt(7)) {
      case 0 -> {
        String path = g.pick(new String[] {"", "recipient", "achievement", "achievement.criteria", AL});
        Object at = path.isEmpty() ? credential : Paths.get(credential, path.replaceAll("\\.$", ""));
        ((JsonObject) at).put("x-" + g.r.nextInt(1_000), g.pick(WRONG));
        what.append("extra field in ").append(path).append("; ");
      }
      case 1 -> {
        String path = g.pick(TEXTS);
        String text = g.pick(NASTY_TEXT);
        Paths.set(credential, path, text);
        what.append(path).append(" := ").append(text, 0, Math.min(text.length(), 20)).append("; ");
      }
      case 2 -> {
        String path = g.pick(OPTIONAL);
        Paths.remove(credential, path);
        what.append("no ").append(path).append("; ");
      }
      case 3 -> {
        Paths.padAchievement(credential.getJsonObject("achievement"), Paths.MAX_ACHIEVEMENT_BYTES);
        what.append("achievement of exactly 65536 bytes; ");
      }
      case 4 -> {
        String path = g.r.nextBoolean() ? "issuanceDate" : "expirationDate";
        Paths.set(credential, path, g.pick(EDGE_DATES));
        what.append(path).append(" at an edge; ");
      }
      case 5 -> {
        Paths.set(credential, "recipient.id", "urn:uuid:" + UUID.randomUUID().toString().toUpperCase());
        what.append("upper-case recipient.id; ");
      }
      default -> {
        JsonArray alignment = credential.getJsonObject("achievement").getJsonArray("alignment");
        for (int i = g.r.nextInt(60); i > 0; i--) {
          alignment.add(alignment.getJsonObject(0).copy());
        }
        what.append(alignment.size()).append(" alignments; ");
      }
    }
  }

  /** A change the contract refuses whatever else the credential holds. */
  private Object poison(JsonObject credential, StringBuilder what) {
    String path;
    Object value;
    switch (g.r.nextInt(10)) {
      case 0 -> {
        path = g.pick(REQUIRED);
        Paths.remove(credential, path);
        what.append("no ").append(path);
        return credential;
      }
      case 1 -> {
        path = g.pick(REQUIRED);
        value = null;
      }
      case 2 -> {
        path = g.pick(STRINGS);
        value = g.pick(WRONG);
      }
      case 3 -> {
        path = g.pick(OBJECTS);
        value = g.pick(new Object[] {"x", "", 7, new JsonArray(), new JsonArray().add(new JsonObject())});
      }
      case 4 -> {
        path = "recipient.id";
        value = g.pick(BAD_IDS);
      }
      case 5 -> {
        path = g.r.nextBoolean() ? "issuanceDate" : "expirationDate";
        value = g.pick(BAD_DATES);
      }
      case 6 -> {
        path = AL + (g.r.nextBoolean() ? "targetFramework" : "targetUrl");
        value = g.pick(path.endsWith("Url") ? BAD_URLS : BAD_FRAMEWORKS);
      }
      case 7 -> {
        int bytes = Paths.MAX_ACHIEVEMENT_BYTES + 1 + (g.r.nextBoolean() ? 0 : g.r.nextInt(20_000));
        Paths.padAchievement(credential.getJsonObject("achievement"), bytes);
        what.append("achievement of ").append(bytes).append(" bytes");
        return credential;
      }
      case 8 -> {
        path = g.pick(new String[] {"achievement.alignment", "achievement.alignment.0"});
        value = path.endsWith("0") ? g.pick(new Object[] {"x", 1, new JsonObject(), new JsonArray()})
            : g.pick(new Object[] {"x", 1, new JsonObject(), new JsonArray().add(new JsonObject())});
      }
      default -> {
        what.append("the credential is ");
        Object replaced = g.pick(new Object[] {"x", 0, new JsonArray(), true, "{}"});
        what.append(replaced);
        return replaced;
      }
    }
    Paths.set(credential, path, value);
    what.append(path).append(" := ").append(value);
    return credential;
  }

  /** A webhook endpoint on a private address (refused) and one more fault in url or events. */
  private void webhook() {
    JsonObject body = new JsonObject().put("url", g.pick(new String[] {"https://127.0.0.1/hook",
        "https://10.0.0.7/hook", "https://localhost/hook", "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook", "http://192.168.1.1:8080/hook"}))
        .put("events", new JsonArray().add(g.pick(EVENTS)));
    switch (g.r.nextInt(6)) {
      case 0 -> body.remove(g.r.nextBoolean() ? "url" : "events");
      case 1 -> body.put(g.r.nextBoolean() ? "url" : "events", g.pick(WRONG));
      case 2 -> body.put("url", g.pick(new String[] {"ftp://127.0.0.1/x", "https://user:pw@127.0.0.1/x",
          "https://127.0.0.1/x#frag", "https://" + "a".repeat(5_000) + "/x", "https://[::1/x", "//127.0.0.1/x",
          "javascript:alert(1)", "https://127.0.0.1/\u202e"}));
      case 3 -> body.put("events", g.pick(new Object[] {new JsonArray(), "batch.anchored",
          new JsonArray().add(1), new JsonArray().add("batch.anchored").addNull(),
          new JsonArray().add("BATCH.ANCHORED"), new JsonArray().add("*"),
          new JsonArray().add(new JsonArray().add("batch.anchored"))}));
      case 4 -> body.put("extra", g.pick(WRONG)); // the private address alone is the fault
      default -> {
        JsonArray events = new JsonArray();
        for (int i = g.r.nextInt(5_000); i >= 0; i--) {
          events.add(g.pick(EVENTS));
        }
        body.put("events", events.add("batch.unknown"));
      }
    }
    send("POST /v1/webhooks " + body.encode(), "/v1/webhooks", body);
  }

  /** A verify body whose anchor receipt breaks one rule of its shape. */
  private void verify() {
    JsonObject anchor = new JsonObject().put("chain_id", TEST_CHAIN_ID)
        .put("tx_hash", "0x" + "ab".repeat(32))
        .put("block_number", 7).put("leaf", "0x" + "cd".repeat(32)).put("merkle_root", "0x" + "ef".repeat(32))
        .put("path", new JsonArray().add(new JsonObject().put("left", "0x" + "01".repeat(32))));
    String field = g.pick(new String[] {"chain_id", "tx_hash", "block_number", "leaf", "merkle_root", "path"});
    Object value = switch (field) {
      case "chain_id" -> g.pick(new Object[] {0, -1, 1.5, String.valueOf(TEST_CHAIN_ID),
          new BigDecimal("1e30"), true, null});
      case "block_number" -> g.pick(new Object[] {-1, 0.5, "7", new JsonArray(), Long.MIN_VALUE});
      case "path" -> g.pick(new Object[] {"x", null, new JsonArray().add("0x00"),
          new JsonArray().add(new JsonObject().put("up", "0x" + "01".repeat(32))),
          new JsonArray().add(new JsonObject().put("left", "0x01").put("right", "0x02")),
          Paths.repeat(new JsonObject().put("left", "0x" + "01".repeat(32)), 65)});
      default -> g.pick(new Object[] {"0x" + "ab".repeat(31), "0x" + "ab".repeat(33),
          "0x" + "ab".repeat(32) + "\u0000", "0x" + "zz".repeat(32), 12, "0X" + "AB".repeat(32) + " ",
          "0x" + "٠".repeat(64)});
    };
    if (value == null) {
      anchor.remove(field);
    } else {
      anchor.put(field, value);
    }
    Object credential = g.r.nextInt(4) == 0 ? g.pick(WRONG) : Batches.credential();
    JsonObject body = new JsonObject().put("credential", credential).put("anchor", anchor);
    send("POST /v1/verify anchor." + field + " := " + value, "/v1/verify", body);
  }

  private void send(String what, String path, JsonObject body) {
    byte[] bytes = body.toBuffer().getBytes();
    g.send(what, "POST", path, () -> bytes, "Authorization", "Bearer " + g.key(),
        "Content-Type", "application/json");
  }
}
