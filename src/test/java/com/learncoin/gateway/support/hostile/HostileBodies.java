package com.learncoin.gateway.support.hostile;

import static com.learncoin.gateway.support.RawHttp.concat;
import static com.learncoin.gateway.support.RawHttp.prefix;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.learncoin.gateway.support.Batches;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;

/** Batch bodies broken at one place by raw bytes, and admin bodies the admin API must refuse. */
final class HostileBodies {
  private static final String C = "credentials.0.";
  private static final String AL = C + "achievement.alignment.0";
  /** Places in the valid batch: kind (Text, Strict text, Object, Array), ! if required, path, a value. */
  private static final String[] SLOTS = {"A! credentials", "O! credentials.0", "O! " + C + "recipient",
      "S! " + C + "recipient.id urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21", "T " + C + "recipient.name",
      "T " + C + "recipient.email", "S! " + C + "issuanceDate 2026-11-27T10:00:00Z",
      "S " + C + "expirationDate 2030-01-01T00:00:00Z", "O! " + C + "achievement",
      "T " + C + "achievement.id", "T! " + C + "achievement.name", "T! " + C + "achievement.description",
      "O! " + C + "achievement.criteria",
      "T " + C + "achievement.criteria.narrative", "A " + C + "achievement.alignment", "O! " + AL,
      "T! " + AL + ".targetName", "S! " + AL + ".targetUrl https://esco.ec.europa.eu",
      "S! " + AL + ".targetFramework ESCO", "T " + AL + ".targetCode", "S network base-sepolia",
      "S issuer did:web:school.example"};
  static final String[] NOT_STRING = {"0", "-1", "3.14", "true", "false", "[]", "{}", "[\"x\"]",
      "{\"a\":\"b\"}", "[[[]]]", "1e308", "[\"\\u0000\",\"\\ud800\"]"};
  static final String[] NOT_OBJECT = {"\"x\"", "\"\"", "0", "true", "[]", "[{}]", "\"{}\""};
  private static final String[] NOT_ARRAY = {"\"x\"", "0", "false", "{}", "{\"0\":{}}", "\"[]\""};
  static final String[] NUMBERS = {"1e999999", "-1e400", "1e-400", "123456789012345678901234567890",
      "9".repeat(2_000), "-0", "9223372036854775808", "NaN", "-Infinity", "+1", "01", ".5", "1.", "0x1F"};
  private static final String[] ESCAPES = {"\\u200b", "\\u202e", "\\uff10", "\\u0430", "\\u00a0", "\\ufeff",
      "\\u2028", "\\u0000", "\\u0007", "\\ud800"};
  private static final String[] SURROGATES = {"\\ud800", "Ada\\udfffX", "\\udc00\\ud800", "\\ud83d",
      "x\\ud800"};
  private static final String[] BAD_UTF8 = {"ff", "fe", "c0af", "e080af", "eda080", "80", "f4908080", "c3"};
  private static final String HOLE = "HOLE-5f0c";

  private final HostileCases g;

  HostileBodies(HostileCases g) {
    this.g = g;
  }

  void fixedCases() {
    batch("10 MB of 'a'", () -> "a".repeat(10 << 20).getBytes(UTF_8));
    batch("a 10 MB name",
        () -> splice(C + "recipient.name", ("\"" + "x".repeat(10 << 20) + "\"").getBytes(UTF_8)));
    batch("10 MB of spaces before a valid batch",
        () -> concat(" ".repeat(10 << 20).getBytes(UTF_8), valid()));
    batch("501 credentials", () -> Batches.of(501).toBuffer().getBytes());
  }

  /** The valid batch broken at one slot, one way; every way is invalid for the slot's kind. */
  void bodyCase() {
    String[] slot = g.pick(SLOTS).split(" ");
    char kind = slot[0].charAt(0);
    String path = slot[1];
    String field = path.substring(path.lastIndexOf('.') + 1);
    boolean string = kind == 'T' || kind == 'S';
    String[] wrong = string ? NOT_STRING : kind == 'O' ? NOT_OBJECT : NOT_ARRAY;
    int depth = (int) (10 * Math.pow(10_000, g.r.nextDouble()));
    String open = kind == 'A' ? "{\"a\":" : "["; // nested objects would fit an object slot (criteria)
    byte[] bad = HexFormat.of().parseHex(g.pick(BAD_UTF8));
    int at = g.r.nextInt(valid().length);
    byte[] noise = new byte[1 + g.r.nextInt(8_192)];
    g.r.nextBytes(noise);
    switch (g.r.nextInt(string ? 14 : 9)) {
      case 0 -> splice(path, "wrong type", g.pick(wrong));
      case 1 -> splice(path, "huge string", "\"" + g.chars("aZé漢😀 /\\", 100_000 + g.r.nextInt(400_000))
          .replace("\\", "\\n") + "\"");
      case 2 -> splice(path, depth + " levels deep",
          open.repeat(depth) + (kind == 'A' ? "}" : "]").repeat(depth));
      case 3 -> splice(path, "out-of-range number", g.pick(NUMBERS));
      case 4 -> batch("truncated at byte " + at, () -> Arrays.copyOf(valid(), at));
      case 5 -> batch(noise.length + " random bytes", () -> noise);
      case 6 -> batch("a NUL byte at " + at, () -> concat(Arrays.copyOf(valid(), at), new byte[1],
          Arrays.copyOfRange(valid(), at, valid().length)));
      case 7 -> splice(path, "null or wrong type", slot[0].endsWith("!") ? "null" : g.pick(wrong));
      case 8 -> splice(path, "duplicated key", field.matches("\\d+") ? g.pick(wrong)
          : g.pick(wrong) + ",\"" + field + "\":" + g.pick(wrong));
      case 9 -> batch(path + " holds invalid UTF-8 " + HexFormat.of().formatHex(bad),
          () -> splice(path, concat("\"Ada".getBytes(UTF_8), bad, "x\"".getBytes(UTF_8))));
      case 10 -> splice(path, "escaped NUL", "\"Ada\\u0000Lovelace\"");
      case 11 -> splice(path, "lone surrogate", "\"" + g.pick(SURROGATES) + "\"");
      default -> {
        String sample = slot.length > 2 ? slot[2] : null;
        int in = sample == null ? 0 : g.r.nextInt(sample.length() + 1);
        splice(path, "unicode escape", sample == null ? g.pick(wrong)
            : "\"" + sample.substring(0, in) + g.pick(ESCAPES) + sample.substring(in) + "\"");
      }
    }
  }

  /** The admin API with a valid token and bodies it must refuse, and now and then an id that is NUL. */
  void adminCase() {
    String[] bodies = {"{\"name\":" + g.pick(NOT_STRING) + "}", "{\"name\":\"\\ud800\"}",
        "{\"plan\":\"gold\"}", "{\"name\":\"x\",\"plan\":" + g.pick(new String[] {"\"gold\"", "1"}) + "}",
        "{\"name\":\"Ada\\u0000\"}",
        "{\"name\":\"" + "n".repeat(201 + g.r.nextInt(100_000)) + "\"}", "[".repeat(2_000), "\"\u0000\"",
        "{\"ip_allowlist\":[\"999.1.1.1\",\"::g\",\"1.2.3.4/33\"]}", "{\"ip_allowlist\":\"10.0.0.0/8\"}",
        "{\"environment\":\"prod\"}", "{\"environment\":1}", "{\"credentials\":[{\"recip",
        "{\"ip_allowlist\":[" + "\"10.0.0.1\",".repeat(101) + "\"10.0.0.2\"]}"};
    String[] route = g.pick(new String[] {"POST /admin/v1/tenants", "PATCH /admin/v1/tenants/" + g.tenant,
        "POST /admin/v1/tenants/ten_nope/keys", "POST /admin/v1/tenants/" + g.tenant + "/keys",
        "PUT /admin/v1/keys/key_nope/ip-allowlist", "PUT /admin/v1/keys/" + g.keyId + "/ip-allowlist",
        "POST /admin/v1/tenants/" + g.encoded(8) + "/keys", "GET /admin/v1/audit/" + g.encoded(12),
        "POST /admin/v1/keys/" + g.encoded(6) + "/revoke"}).split(" ");
    // a real tenant's keys route takes any name or plan: only key-shaped junk is refused there
    String body = route[1].endsWith(g.tenant + "/keys") ? bodies[6 + g.r.nextInt(bodies.length - 6)]
        : g.pick(bodies);
    boolean get = route[0].equals("GET");
    boolean plain = !get && g.r.nextInt(8) == 0;
    boolean junkToken = g.r.nextInt(8) == 0;
    g.send(String.join(" ", route) + (junkToken ? " with a junk token" : "") + (plain ? " as text/plain" : "")
        + (get ? "" : " body " + body), route[0], route[1], get ? null : () -> body.getBytes(UTF_8),
        "Content-Type", plain ? "text/plain" : "application/json",
        "Authorization", "Bearer " + (junkToken ? g.chars(HostileCases.ASCII, 40) : g.app.adminToken()));
    if (g.size() % 10 == 0) { // a NUL id, with a body the route takes: the answer is the route's 404
      String[] nul = g.pick(new String[][] {{"PATCH /admin/v1/tenants/%00", "{\"plan\":\"industry\"}"},
          {"POST /admin/v1/tenants/%00/keys", "{}"},
          {"PUT /admin/v1/keys/%00/ip-allowlist", "{\"ip_allowlist\":[]}"},
          {"POST /admin/v1/keys/key_%00/revoke", "{}"}, {"GET /admin/v1/audit/req_%00", null},
          {"GET /v1/batches/%00", null}});
      String[] line = nul[0].split(" ");
      g.send(nul[0] + (nul[1] == null ? "" : " body " + nul[1]), line[0], line[1],
          nul[1] == null ? null : () -> nul[1].getBytes(UTF_8), "Content-Type", "application/json",
          "Authorization", "Bearer " + (line[1].startsWith("/admin") ? g.app.adminToken() : g.key()));
    }
  }

  private void splice(String path, String how, String raw) {
    byte[] bytes = raw.getBytes(UTF_8);
    batch(path + " := " + how + " " + prefix(bytes), () -> splice(path, bytes));
  }

  /** The valid batch with the value at the path replaced by raw bytes, JSON or not. */
  private static byte[] splice(String path, byte[] raw) {
    JsonObject batch = base();
    Object node = batch;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      node = node instanceof JsonObject o ? o.getValue(parts[i])
          : ((JsonArray) node).getValue(Integer.parseInt(parts[i]));
    }
    String last = parts[parts.length - 1];
    if (node instanceof JsonObject o) {
      o.put(last, HOLE);
    } else {
      ((JsonArray) node).set(Integer.parseInt(last), HOLE);
    }
    String[] halves = batch.encode().split("\"" + HOLE + "\"");
    return concat(halves[0].getBytes(UTF_8), raw, halves[1].getBytes(UTF_8));
  }

  static JsonObject base() {
    JsonObject credential = Batches.credential();
    credential.getJsonObject("recipient").put("id", "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21");
    return Batches.with(credential).put("network", "base-sepolia");
  }

  static byte[] valid() {
    return base().toBuffer().getBytes();
  }

  private void batch(String what, Supplier<byte[]> body) {
    g.send("POST /v1/batches body: " + what, "POST", "/v1/batches", body, "Authorization",
        "Bearer " + g.key(), "Content-Type", "application/json");
  }
}
