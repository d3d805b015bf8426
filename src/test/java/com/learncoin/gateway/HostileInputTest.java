package com.learncoin.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.Batches;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Bad input never produces a 5xx")
class HostileInputTest {
  /** Rerun a failure with -Dhostile.seed=<the seed in the failure message>. */
  private static final long SEED = Long.getLong("hostile.seed", 0x1EA2C0172026L);
  private static final Pattern REQUEST_ID = Pattern.compile("req_[0-9A-HJKMNP-TV-Z]{26}");
  /** API.md §1: each code with the status it fixes, the allowed additions included. */
  private static final Map<String, Integer> CODES = new HashMap<>();
  private static TestGateway app;

  static {
    for (String row : new String[] {"400 invalid_json missing_required_field invalid_field_format "
        + "recipient_id_invalid achievement_too_large batch_too_large alignment_framework_unknown",
        "401 api_key_missing api_key_invalid api_key_revoked ip_not_allowed admin_token_invalid",
        "403 environment_mismatch tier_required credential_not_owned", "404 batch_not_found "
        + "credential_not_found webhook_not_found tenant_not_found route_not_found", "405 method_not_allowed",
        "409 idempotency_key_reused credential_already_revoked credential_already_erased",
        "413 payload_too_large", "415 unsupported_media_type", "422 monthly_quota_exceeded "
        + "signing_key_unavailable anchoring_chain_unavailable", "429 rate_limited", "500 internal_error",
        "503 service_unavailable"}) {
      String[] words = row.split(" ");
      Arrays.stream(words).skip(1).forEach(code -> CODES.put(code, Integer.parseInt(words[0])));
    }
  }

  @BeforeAll
  static void start(Vertx vertx) {
    app = TestGateway.start(vertx);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  @DisplayName("over a thousand malformed or hostile requests all get a 4xx contract envelope, and the "
      + "server stays healthy")
  void hostileRequests() {
    List<Case> cases = new Generator(new Random(SEED)).all();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(1_000);
    List<String> violations = new ArrayList<>();
    Map<String, Integer> tally = new TreeMap<>();
    long started = System.nanoTime();
    for (Case c : cases) {
      Answer answer = null;
      String problem;
      try {
        answer = c.send().get();
        problem = answer == null ? "closed without an answer" : problem(answer);
        tally.merge(answer == null ? "closed" : answer.status() + " " + code(answer), 1, Integer::sum);
      } catch (RuntimeException e) {
        problem = "no answer: " + e;
      }
      if (problem != null && c.tolerated() != null && problem.startsWith(c.tolerated())) {
        System.out.println("  tolerated: " + c.what() + " -> " + problem);
      } else if (problem != null) {
        violations.add(c.what() + " -> " + problem
            + (answer == null ? "" : "; body " + prefix(answer.body())));
      }
    }
    System.out.printf("HostileInputTest: %d cases in %d ms, %d violations, seed %d, answers %s%n",
        cases.size(), (System.nanoTime() - started) / 1_000_000, violations.size(), SEED, tally);
    violations.forEach(v -> System.out.println("  " + v));
    int validated = tally.entrySet().stream().filter(e -> e.getKey().startsWith("400 "))
        .mapToInt(Map.Entry::getValue).sum();
    if (validated < 600) { // the bodies must reach the validator, not stop at the key check
      violations.add("only " + validated + " requests were refused by validation (400): " + tally);
    }
    Reply ready = app.send("GET", "/health/ready", null);
    Reply batch = app.post("/v1/batches", app.newTestKey("industry"), Batches.of(1).encode());
    if (ready.status() != 200 || batch.status() != 202) {
      violations.add("afterwards /health/ready answered " + ready.status() + ", a valid batch "
          + batch.status());
    }
    int shown = Math.min(20, violations.size());
    assertThat(violations).withFailMessage(() -> violations.size() + " of " + cases.size() + " hostile "
        + "requests broke the contract (seed " + SEED + ", rerun with -Dhostile.seed=" + SEED + "); the "
        + "first " + shown + ":\n  " + String.join("\n  ", violations.subList(0, shown))).isEmpty();
  }

  /** What is wrong with an answer under the contract, or null. */
  private static String problem(Answer a) {
    if (a.status() < 400 || a.status() > 499 || !"application/json".equals(a.contentType())) {
      return "status " + a.status() + " (" + a.contentType() + ") is not a 4xx JSON answer";
    }
    JsonObject error = null;
    try {
      JsonObject body = new JsonObject(new String(a.body(), UTF_8));
      error = body.fieldNames().equals(Set.of("error")) ? body.getJsonObject("error") : null;
    } catch (RuntimeException e) {
      // not JSON: reported below
    }
    if (error == null || !error.fieldNames().equals(Set.of("code", "message", "request_id"))) {
      return "status " + a.status() + " without the envelope {error: {code, message, request_id}}";
    }
    Object code = error.getValue("code");
    Object id = error.getValue("request_id");
    if (!Integer.valueOf(a.status()).equals(CODES.get(code))) {
      return "code " + code + " is not the contract's code for " + a.status();
    } else if (!(error.getValue("message") instanceof String message) || message.isBlank()) {
      return "blank message";
    } else if (!(id instanceof String text) || !REQUEST_ID.matcher(text).matches()
        || !id.equals(a.requestId())) {
      return "status " + a.status() + " " + code + " with request_id " + id + ", X-Request-Id "
          + a.requestId();
    }
    return null;
  }

  private static String code(Answer a) {
    try {
      return new JsonObject(new String(a.body(), UTF_8)).getJsonObject("error").getString("code");
    } catch (RuntimeException e) {
      return "-";
    }
  }

  private static String prefix(byte[] bytes) {
    String text = new String(bytes, 0, Math.min(bytes.length, 120), UTF_8).replaceAll("\\p{Cntrl}", "?");
    return bytes.length > 120 ? text + "...(" + bytes.length + " bytes)" : text;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }

  record Answer(int status, String contentType, String requestId, byte[] body) {}

  /** A request; {@code tolerated} starts the one problem accepted from it (a framework's own answer). */
  record Case(String what, Supplier<Answer> send, String tolerated) {}

  /** Seeded hostile requests; the gateway must refuse each for a reason the contract names. */
  static final class Generator {
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
    private static final String[] NOT_STRING = {"0", "-1", "3.14", "true", "false", "[]", "{}", "[\"x\"]",
        "{\"a\":\"b\"}", "[[[]]]", "1e308", "[\"\\u0000\",\"\\ud800\"]"};
    private static final String[] NOT_OBJECT = {"\"x\"", "\"\"", "0", "true", "[]", "[{}]", "\"{}\""};
    private static final String[] NOT_ARRAY = {"\"x\"", "0", "false", "{}", "{\"0\":{}}", "\"[]\""};
    private static final String[] NUMBERS = {"1e999999", "-1e400", "1e-400", "123456789012345678901234567890",
        "9".repeat(2_000), "-0", "9223372036854775808", "NaN", "-Infinity", "+1", "01", ".5", "1.", "0x1F"};
    private static final String[] ESCAPES = {"\\u200b", "\\u202e", "\\uff10", "\\u0430", "\\u00a0", "\\ufeff",
        "\\u2028", "\\u0000", "\\u0007", "\\ud800"};
    private static final String[] SURROGATES = {"\\ud800", "Ada\\udfffX", "\\udc00\\ud800", "\\ud83d",
        "x\\ud800"};
    private static final String[] BAD_UTF8 = {"ff", "fe", "c0af", "e080af", "eda080", "80", "f4908080", "c3"};
    private static final String ASCII = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`{|}~abcxyz";
    private static final String HOLE = "HOLE-5f0c";

    private final Random r;
    private final List<Case> cases = new ArrayList<>();
    private final String[] keys = {app.newTestKey("industry"), app.newTestKey("industry"),
        app.newTestKey("industry")};
    private final String tenant = app.tenant("industry");
    private final String keyId = app.key(tenant, "test").getString("id");

    Generator(Random r) {
      this.r = r;
    }

    List<Case> all() {
      for (int i = 0; i < 40 * SLOTS.length; i++) {
        bodyCase(SLOTS[i % SLOTS.length].split(" "));
      }
      batch("10 MB of 'a'", () -> "a".repeat(10 << 20).getBytes(UTF_8));
      batch("a 10 MB name",
          () -> splice(C + "recipient.name", ("\"" + "x".repeat(10 << 20) + "\"").getBytes(UTF_8)));
      batch("10 MB of spaces before a valid batch",
          () -> concat(" ".repeat(10 << 20).getBytes(UTF_8), valid()));
      batch("501 credentials", () -> Batches.of(501).toBuffer().getBytes());
      for (int i = 0; i < 200; i++) {
        headerCase();
        pathCase();
      }
      for (int i = 0; i < 120; i++) {
        adminCase();
      }
      rawCases();
      return cases;
    }

    /** The valid batch broken at one slot, one way; every way is invalid for the slot's kind. */
    private void bodyCase(String[] slot) {
      char kind = slot[0].charAt(0);
      String path = slot[1];
      String field = path.substring(path.lastIndexOf('.') + 1);
      boolean string = kind == 'T' || kind == 'S';
      String[] wrong = string ? NOT_STRING : kind == 'O' ? NOT_OBJECT : NOT_ARRAY;
      int depth = (int) (10 * Math.pow(10_000, r.nextDouble()));
      String open = kind == 'A' ? "{\"a\":" : "["; // nested objects would fit an object slot (criteria)
      byte[] bad = HexFormat.of().parseHex(pick(BAD_UTF8));
      int at = r.nextInt(valid().length);
      byte[] noise = new byte[1 + r.nextInt(8_192)];
      r.nextBytes(noise);
      switch (r.nextInt(string ? 14 : 9)) {
        case 0 -> splice(path, "wrong type", pick(wrong));
        case 1 -> splice(path, "huge string", "\"" + chars("aZé漢😀 /\\", 100_000 + r.nextInt(900_000))
            .replace("\\", "\\n") + "\"");
        case 2 -> splice(path, depth + " levels deep",
            open.repeat(depth) + (kind == 'A' ? "}" : "]").repeat(depth));
        case 3 -> splice(path, "out-of-range number", pick(NUMBERS));
        case 4 -> batch("truncated at byte " + at, () -> Arrays.copyOf(valid(), at));
        case 5 -> batch(noise.length + " random bytes", () -> noise);
        case 6 -> batch("a NUL byte at " + at, () -> concat(Arrays.copyOf(valid(), at), new byte[1],
            Arrays.copyOfRange(valid(), at, valid().length)));
        case 7 -> splice(path, "null or wrong type", slot[0].endsWith("!") ? "null" : pick(wrong));
        case 8 -> splice(path, "duplicated key", field.matches("\\d+") ? pick(wrong)
            : pick(wrong) + ",\"" + field + "\":" + pick(wrong));
        case 9 -> batch(path + " holds invalid UTF-8 " + HexFormat.of().formatHex(bad),
            () -> splice(path, concat("\"Ada".getBytes(UTF_8), bad, "x\"".getBytes(UTF_8))));
        case 10 -> splice(path, "escaped NUL", "\"Ada\\u0000Lovelace\"");
        case 11 -> splice(path, "lone surrogate", "\"" + pick(SURROGATES) + "\"");
        default -> {
          String sample = slot.length > 2 ? slot[2] : null;
          int in = sample == null ? 0 : r.nextInt(sample.length() + 1);
          splice(path, "unicode escape", sample == null ? pick(wrong)
              : "\"" + sample.substring(0, in) + pick(ESCAPES) + sample.substring(in) + "\"");
        }
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

    private static JsonObject base() {
      JsonObject credential = Batches.credential();
      credential.getJsonObject("recipient").put("id", "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21");
      return Batches.with(credential).put("network", "base-sepolia");
    }

    private static byte[] valid() {
      return base().toBuffer().getBytes();
    }

    private void batch(String what, Supplier<byte[]> body) {
      send("POST /v1/batches body: " + what, "POST", "/v1/batches", body, "Authorization", "Bearer " + key(),
          "Content-Type", "application/json");
    }

    private String key() {
      return keys[cases.size() % keys.length];
    }

    /** Garbage in one header, beside a valid batch (or a broken one where the header alone may pass). */
    private void headerCase() {
      String key = key();
      String junk = chars(r.nextBoolean() ? ASCII : ASCII + "éßøñ€漢😀\u00a0",
          1 + r.nextInt(r.nextBoolean() ? 40 : 12_000));
      String[] header = pick(new String[][] {
          {"Authorization", pick(new String[] {"Bearer " + key.substring(0, 40), "Bearer " + key + "x",
              "Bearer", "Bearer " + key.replace("test", "live"), "Bearer " + key.substring(0, 12) + "!"
              + key.substring(13), "Bearer\t" + key, "Bearer " + key + " " + key, "", "   ", junk,
              "Bearer " + junk, "Basic " + junk, "Token " + key, "Bearer " + key + "é"})},
          {"Idempotency-Key", "k".repeat(256 + r.nextInt(r.nextBoolean() ? 15_000 : 40_000))},
          {"Idempotency-Key", pick(new String[] {"clé-" + r.nextInt(), "ключ-" + r.nextInt(), "a b", "",
              "tab\there", "k\u007f", junk + "é"})},
          {"Content-Type", pick(new String[] {"text/plain", "application/x-www-form-urlencoded", "json",
              "application/xml", "multipart/form-data; boundary=xyz", "application/jsonp", "", "*/*",
              "application/json-seq", "text/json ; x", "applicatión/json", junk})},
          {"X-Forwarded-For", pick(new String[] {"1.2.3.4, " + junk, "::::", "999.999.999.999", "unknown",
              "127.0.0.1\u00ff", "10.0.0.1, ".repeat(1 + r.nextInt(1_000)), junk})},
          {"X-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36), junk}});
      boolean keyless = header[0].equals("X-Forwarded-For");
      boolean broken = header[0].startsWith("X-") && !keyless;
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("Authorization", "Bearer " + key);
      headers.put(header[0], header[1]);
      if (keyless) {
        headers.remove("Authorization");
      }
      byte[] body = broken ? Arrays.copyOf(valid(), 20) : valid();
      send("POST /v1/batches header: " + header[0] + ": " + header[1]
          + (keyless ? " without a key" : broken ? " beside a broken body" : ""), "POST", "/v1/batches",
          () -> body, headers.entrySet().stream().flatMap(e -> List.of(e.getKey(), e.getValue()).stream())
              .toArray(String[]::new));
    }

    /** Junk paths, query strings and methods; none names anything that exists. */
    private void pathCase() {
      String auth = "Bearer " + key();
      String junk = pick(new String[] {encoded(1 + r.nextInt(64)), chars("abcXYZ0189-_~!$&'()*+,;=:@", 200),
          pick(new String[] {"%", "%z", "%zz", "%%", "%0", "%u0041", "%c0%af", "%ed%a0%80", "%00", "%ff%fe",
              "é", "a%2fb", "..%2f..%2fadmin%2fv1%2ftenants", "%2e%2e/%2e%2e/admin/v1/tenants", "%5c..%5c",
              ";x=1", "\u00ff<>{}|^`\"", "x#frag"}),
          "a".repeat(pick(new Integer[] {7_000, 8_100, 8_180, 8_192, 8_200, 9_000, 16_000, 100_000}))});
      String query = "?" + pick(new String[] {"limit=-1", "limit=abc", "limit=" + "9".repeat(50), "a=%zz",
          "%", "starting_after=%00", "&&&", "a[b][c]=1", "=", "x=" + encoded(40), "q=" + "a".repeat(9_000),
          "é=ü"});
      String method = pick(new String[] {"PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO", "PROPFIND",
          "get"});
      String path = pick(new String[] {"/v1/batches", "/v1/batches/bat_x", "/v1/tenants/ten_x",
          "/health/live", "/health/ready", "/admin/v1/tenants", "/admin/v1/audit/req_x",
          "/admin/v1/keys/key_x/revoke"});
      String token = path.startsWith("/admin") ? "Bearer " + app.adminToken() : auth;
      switch (r.nextInt(6)) {
        case 0 -> send("GET /v1/batches/" + junk, "GET", "/v1/batches/" + junk, null, "Authorization", auth);
        case 1 -> send("GET /nowhere/" + junk + " without a key", "GET", "/nowhere/" + junk, null);
        case 2 -> send("GET /v1/batches/bat_x" + query, "GET", "/v1/batches/bat_x" + query, null,
            "Authorization", auth);
        case 3 -> send("POST /v1/batches" + query + " with a broken body", "POST", "/v1/batches" + query,
            () -> Arrays.copyOf(valid(), 30), "Authorization", auth, "Content-Type", "application/json");
        case 4 -> send(method + " " + path, method, path, null, "Authorization", token);
        default -> send(method + " " + path + " without a key", method, path, null);
      }
    }

    /** The admin API with a valid token and bodies it must refuse, and now and then an id that is NUL. */
    private void adminCase() {
      String[] bodies = {"{\"name\":" + pick(NOT_STRING) + "}", "{\"name\":\"\\ud800\"}",
          "{\"plan\":\"gold\"}", "{\"name\":\"x\",\"plan\":" + pick(new String[] {"\"gold\"", "1"}) + "}",
          "{\"name\":\"Ada\\u0000\"}",
          "{\"name\":\"" + "n".repeat(201 + r.nextInt(100_000)) + "\"}", "[".repeat(2_000), "\"\u0000\"",
          "{\"ip_allowlist\":[\"999.1.1.1\",\"::g\",\"1.2.3.4/33\"]}", "{\"ip_allowlist\":\"10.0.0.0/8\"}",
          "{\"environment\":\"prod\"}", "{\"environment\":1}", "{\"credentials\":[{\"recip",
          "{\"ip_allowlist\":[" + "\"10.0.0.1\",".repeat(101) + "\"10.0.0.2\"]}"};
      String[] route = pick(new String[] {"POST /admin/v1/tenants", "PATCH /admin/v1/tenants/" + tenant,
          "POST /admin/v1/tenants/ten_nope/keys", "POST /admin/v1/tenants/" + tenant + "/keys",
          "PUT /admin/v1/keys/key_nope/ip-allowlist", "PUT /admin/v1/keys/" + keyId + "/ip-allowlist",
          "POST /admin/v1/tenants/" + encoded(8) + "/keys", "GET /admin/v1/audit/" + encoded(12),
          "POST /admin/v1/keys/" + encoded(6) + "/revoke"}).split(" ");
      // a real tenant's keys route takes any name or plan: only key-shaped junk is refused there
      String body = route[1].endsWith(tenant + "/keys") ? bodies[6 + r.nextInt(bodies.length - 6)]
          : pick(bodies);
      boolean get = route[0].equals("GET");
      boolean plain = !get && r.nextInt(8) == 0;
      boolean junkToken = r.nextInt(8) == 0;
      send(String.join(" ", route) + (junkToken ? " with a junk token" : "") + (plain ? " as text/plain" : "")
          + (get ? "" : " body " + body), route[0], route[1], get ? null : () -> body.getBytes(UTF_8),
          "Content-Type", plain ? "text/plain" : "application/json",
          "Authorization", "Bearer " + (junkToken ? chars(ASCII, 40) : app.adminToken()));
      if (cases.size() % 10 == 0) { // a NUL id, with a body the route takes: the answer is the route's 404
        String[] nul = pick(new String[][] {{"PATCH /admin/v1/tenants/%00", "{\"plan\":\"industry\"}"},
            {"POST /admin/v1/tenants/%00/keys", "{}"},
            {"PUT /admin/v1/keys/%00/ip-allowlist", "{\"ip_allowlist\":[]}"},
            {"POST /admin/v1/keys/key_%00/revoke", "{}"}, {"GET /admin/v1/audit/req_%00", null},
            {"GET /v1/batches/%00", null}});
        String[] line = nul[0].split(" ");
        send(nul[0] + (nul[1] == null ? "" : " body " + nul[1]), line[0], line[1],
            nul[1] == null ? null : () -> nul[1].getBytes(UTF_8), "Content-Type", "application/json",
            "Authorization", "Bearer " + (line[1].startsWith("/admin") ? app.adminToken() : key()));
      }
    }

    /** What java.net.http cannot send: bytes on a socket, with a Host header unless the case is about it. */
    private void rawCases() {
      String post = "POST /v1/batches HTTP/1.1\r\nAuthorization: Bearer " + keys[0]
          + "\r\nContent-Type: application/json\r\n";
      String get = "GET /v1/batches/x HTTP/1.1\r\n";
      String batch = new String(valid(), ISO_8859_1);
      String[] requests = {"GET /v1/batches/a\0b HTTP/1.1\r\n", "GET /v1/batches/\u00c3\u00a9 HTTP/1.1\r\n",
          "GET /v1/ba tches/x HTTP/1.1\r\n", "G\u0001T /v1/batches/x HTTP/1.1\r\n",
          "GET /v1/batches/x HTTP/1.1x\r\n", "GETGETGET".repeat(1_200) + " /v1/batches/x HTTP/1.1\r\n",
          "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n", "GET http://127.0.0.1/v1/batches/x HTTP/1.1\r\n",
          "GET http://[::1/v1 HTTP/1.1\r\n", "GET * HTTP/1.1\r\n", "OPTIONS * HTTP/1.1\r\n",
          "GET v1/batches/x HTTP/1.1\r\n", "GET /v1/batches/x HTTP/1.0\r\n", get + "X-Junk: a\u0001b\r\n",
          get + "X-Junk: a\0b\r\n", get + "Authorization: Bearer \u007f\r\n", get + "X Junk: y\r\n",
          get + "X-Junk : y\r\n", get + "X-Ju\0nk: y\r\n", get + "JunkLineWithoutColon\r\n",
          get + "X-A: b\r\n folded\r\n", get + "X-Big: " + "b".repeat(17_000) + "\r\n",
          get + "X-H: 1234567\r\n".repeat(2_000), get + "a".repeat(9_000) + ": x\r\n",
          get + "Host: \u00ff\u00fe\r\n", get + "Host: a\r\nHost: b\r\n", get + "Host: a b\r\n",
          get + "Host: [::1\r\n", get + "Host: x:99999\r\n",
          get + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
          get + "Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: !!junk!!\r\n\r\n",
          post + "Idempotency-Key: \u00d0\u00ba\u00d0\u00bb\r\nContent-Length: " + batch.length() + "\r\n\r\n"
          + batch, "POST /v1/batches HTTP/1.1\r\nAuthorization: Bearer \u00d0\u00ba\r\nContent-Length: 0\r\n",
          post + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n",
          post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\n{x}\r\n0\r\n\r\n",
          post + "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\n{x}\r\n0\r\n\r\n",
          post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", post + "Content-Length: -1\r\n\r\n",
          post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n{x}",
          post + "Content-Length: 3, 3\r\n\r\n{x}",
          post + "Content-Length: 99999999999999999999\r\n\r\n", post + "Content-Length: 1e3\r\n\r\n",
          post + "Content-Length: 3\r\n\r\n{\"abcdef",
          post + "Expect: 100-continue\r\nContent-Length: 10485760\r\n\r\n",
          post.replace("json\r", "json\0\r") + "Content-Length: 2\r\n\r\n{}",
          post.replace("\r", "").replaceFirst("\n", "\nHost: h\n") + "Content-Length: 2\n\n[]"};
      for (String request : requests) {
        raw(request, true, null);
      }
      raw(get, false, null); // HTTP/1.1 requires a Host
      raw(post + "Content-Length: " + batch.length() + "\r\n\r\n" + batch, false, null);
      // not HTTP/1.x: Vert.x answers 501 itself, before any handler of the gateway runs
      raw("GET /v1/batches/x HTTP/9.9\r\n", true, "status 501");
      raw("GET /v1/batches/x HTTX/1.1\r\n", true, "status 501");
      // broken chunk framing: the server cannot tell where the request ends, so closing is an answer
      raw(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", true,
          "closed without an answer");
      for (int i = 0; i < 20; i++) {
        raw(chars(ASCII + "\u00ff\u0000\u0007\t ", 1 + r.nextInt(200)) + "\r\n\r\n", true, null);
      }
    }

    /** With java.net.http when it sends the request as is (printable ASCII, a valid URI), else raw bytes. */
    private void send(String what, String method, String target, Supplier<byte[]> body, String... headers) {
      boolean plain = Arrays.stream(headers).allMatch(h -> h.chars().allMatch(c -> c >= 0x20 && c < 0x7F));
      try {
        URI.create("http://127.0.0.1" + target);
      } catch (IllegalArgumentException e) {
        plain = false;
      }
      String label = "#" + cases.size() + " " + (plain ? "" : "(raw) ") + prefix(what.getBytes(UTF_8));
      cases.add(new Case(label, plain ? () -> {
        Reply reply = app.send(method, target, body == null ? null : body.get(), headers);
        return new Answer(reply.status(), reply.header("Content-Type"), reply.header("X-Request-Id"),
            reply.raw().body());
      } : () -> {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Connection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
          head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.get();
        head.append(body == null ? "" : "Content-Length: " + bytes.length + "\r\n").append("\r\n");
        return rawHttp(concat(head.toString().getBytes(UTF_8), bytes));
      }, null));
    }

    private void raw(String request, boolean host, String tolerated) {
      int eol = request.indexOf("\r\n");
      String full = host && eol >= 0 && !request.contains("\nHost:")
          ? request.substring(0, eol + 2) + "Host: 127.0.0.1\r\n" + request.substring(eol + 2) : request;
      full += full.contains("\r\n\r\n") || full.contains("\n\n") ? "" : "Connection: close\r\n\r\n";
      byte[] bytes = full.getBytes(ISO_8859_1);
      cases.add(new Case("#" + cases.size() + " raw " + prefix(bytes), () -> rawHttp(bytes), tolerated));
    }

    private String encoded(int bytes) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < bytes; i++) {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) r.nextInt(256)));
      }
      return out.toString();
    }

    private String chars(String alphabet, int length) {
      int[] points = alphabet.codePoints().toArray();
      StringBuilder out = new StringBuilder(length);
      while (out.length() < length) {
        out.appendCodePoint(points[r.nextInt(points.length)]);
      }
      return out.toString();
    }

    private <T> T pick(T[] options) {
      return options[r.nextInt(options.length)];
    }
  }

  /** One request on its own connection, read to Content-Length or close; null when closed unanswered. */
  private static Answer rawHttp(byte[] request) {
    try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      socket.setSoTimeout(5_000);
      try {
        socket.getOutputStream().write(request);
      } catch (IOException e) {
        // the server may answer and close before it has read everything
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8_192];
      int headEnd = -1;
      long total = Long.MAX_VALUE;
      Map<String, String> headers = new HashMap<>();
      try {
        for (int n; out.size() < total && (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          String text = out.toString(ISO_8859_1);
          if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
            for (String line : text.substring(0, headEnd).split("\r\n")) {
              int colon = line.indexOf(':');
              headers.put(colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(),
                  line.substring(colon + 1).trim());
            }
            String length = headers.get("content-length");
            total = length == null ? total : headEnd + 4 + Long.parseLong(length);
          }
        }
      } catch (SocketTimeoutException e) {
        if (headEnd < 0) {
          throw e; // a head whose body neither ends nor closes is judged below, by its head
        }
      }
      byte[] all = out.toByteArray();
      if (headEnd < 0 && all.length > 0) {
        throw new IllegalStateException("no HTTP response head in " + prefix(all));
      }
      return headEnd < 0 ? null : new Answer(Integer.parseInt(new String(all, 0, headEnd, ISO_8859_1)
          .split(" ", 3)[1]), headers.get("content-type"), headers.get("x-request-id"),
          Arrays.copyOfRange(all, headEnd + 4, all.length));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
