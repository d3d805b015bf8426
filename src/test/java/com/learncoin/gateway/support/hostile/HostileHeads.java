package com.learncoin.gateway.support.hostile;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Junk in headers, paths, query strings, methods and the request line, on every route. */
final class HostileHeads {
  private static final String[] JUNK_IDS = {"x", "%00", "cred_", "bat_" + "Z".repeat(26), "wh_%ff",
      "..%2f..%2fadmin", "cred_0000000000000000000000000%20", "%e2%80%ae", "a".repeat(300), "null",
      "-1", "' OR 1=1 --", "%27%3B%20DROP%20TABLE%20batches%3B--"};

  private final HostileCases g;

  HostileHeads(HostileCases g) {
    this.g = g;
  }

  /** Garbage in one header, beside a valid batch (or a broken one where the header alone may pass). */
  void headerCase() {
    String key = g.key();
    String junk = g.chars(g.r.nextBoolean() ? HostileCases.ASCII : HostileCases.ASCII + "éßøñ€漢😀\u00a0",
        1 + g.r.nextInt(g.r.nextBoolean() ? 40 : 12_000));
    String[] header = g.pick(new String[][] {
        {"Authorization", g.pick(new String[] {"Bearer " + key.substring(0, 40), "Bearer " + key + "x",
            "Bearer", "Bearer " + key.replace("test", "live"), "Bearer " + key.substring(0, 12) + "!"
            + key.substring(13), "Bearer\t" + key, "Bearer " + key + " " + key, "", "   ", junk,
            "Bearer " + junk, "Basic " + junk, "Token " + key, "Bearer " + key + "é"})},
        {"Idempotency-Key", "k".repeat(256 + g.r.nextInt(g.r.nextBoolean() ? 15_000 : 40_000))},
        {"Idempotency-Key", g.pick(new String[] {"clé-" + g.r.nextInt(), "ключ-" + g.r.nextInt(), "a b", "",
            "tab\there", "k\u007f", junk + "é"})},
        {"Content-Type", g.pick(new String[] {"text/plain", "application/x-www-form-urlencoded", "json",
            "application/xml", "multipart/form-data; boundary=xyz", "application/jsonp", "", "*/*",
            "application/json-seq", "text/json ; x", "applicatión/json", junk})},
        {"X-Forwarded-For", g.pick(new String[] {"1.2.3.4, " + junk, "::::", "999.999.999.999", "unknown",
            "127.0.0.1\u00ff", "10.0.0.1, ".repeat(1 + g.r.nextInt(1_000)), junk})},
        {"X-" + Long.toString(g.r.nextLong() & Long.MAX_VALUE, 36), junk}});
    boolean keyless = header[0].equals("X-Forwarded-For");
    boolean broken = header[0].startsWith("X-") && !keyless;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Authorization", "Bearer " + key);
    headers.put(header[0], header[1]);
    if (keyless) {
      headers.remove("Authorization");
    }
    byte[] body = broken ? Arrays.copyOf(HostileBodies.valid(), 20) : HostileBodies.valid();
    g.send("POST /v1/batches header: " + header[0] + ": " + header[1]
        + (keyless ? " without a key" : broken ? " beside a broken body" : ""), "POST", "/v1/batches",
        () -> body, headers.entrySet().stream().flatMap(e -> List.of(e.getKey(), e.getValue()).stream())
            .toArray(String[]::new));
  }

  /** Junk paths, query strings and methods; none names anything that exists. */
  void pathCase() {
    String auth = "Bearer " + g.key();
    String junk = g.pick(new String[] {g.encoded(1 + g.r.nextInt(64)),
        g.chars("abcXYZ0189-_~!$&'()*+,;=:@", 200),
        g.pick(new String[] {"%", "%z", "%zz", "%%", "%0", "%u0041", "%c0%af", "%ed%a0%80", "%00", "%ff%fe",
            "é", "a%2fb", "..%2f..%2fadmin%2fv1%2ftenants", "%2e%2e/%2e%2e/admin/v1/tenants", "%5c..%5c",
            ";x=1", "\u00ff<>{}|^`\"", "x#frag"}),
        "a".repeat(g.pick(new Integer[] {7_000, 8_100, 8_180, 8_192, 8_200, 9_000, 16_000, 100_000}))});
    String query = "?" + g.pick(new String[] {"limit=-1", "limit=abc", "limit=" + "9".repeat(50), "a=%zz",
        "%", "starting_after=%00", "&&&", "a[b][c]=1", "=", "x=" + g.encoded(40), "q=" + "a".repeat(9_000),
        "é=ü"});
    String method = g.pick(new String[] {"PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO", "PROPFIND",
        "get"});
    String path = g.pick(new String[] {"/v1/batches", "/v1/batches/bat_x", "/v1/tenants/ten_x",
        "/health/live", "/health/ready", "/admin/v1/tenants", "/admin/v1/audit/req_x",
        "/admin/v1/keys/key_x/revoke", "/status/x", "/v1/verify", "/v1/webhooks/wh_x", "/openapi.yaml"});
    String token = path.startsWith("/admin") ? "Bearer " + g.app.adminToken() : auth;
    switch (g.r.nextInt(6)) {
      case 0 -> g.send("GET /v1/batches/" + junk, "GET", "/v1/batches/" + junk, null, "Authorization", auth);
      case 1 -> g.send("GET /nowhere/" + junk + " without a key", "GET", "/nowhere/" + junk, null);
      case 2 -> g.send("GET /v1/batches/bat_x" + query, "GET", "/v1/batches/bat_x" + query, null,
          "Authorization", auth);
      case 3 -> g.send("POST /v1/batches" + query + " with a broken body", "POST", "/v1/batches" + query,
          () -> Arrays.copyOf(HostileBodies.valid(), 30), "Authorization", auth,
          "Content-Type", "application/json");
      case 4 -> g.send(method + " " + path, method, path, null, "Authorization", token);
      default -> g.send(method + " " + path + " without a key", method, path, null);
    }
  }

  /** Every other route with ids and bodies that name nothing: its own 404, a 400, 401 or 405. */
  void routeCase() {
    String id = g.pick(JUNK_IDS);
    String auth = "Bearer " + g.key();
    String query = g.pick(new String[] {"", "?limit=0", "?limit=101", "?limit=1e2", "?starting_after=%00",
        "?limit=" + "9".repeat(30)});
    String reason = g.pick(new String[] {"{\"reason\":" + g.pick(HostileBodies.NOT_STRING) + "}", "{", "[]",
        "{\"reason\":\"" + "r".repeat(g.r.nextInt(20_000)) + "\"}", "{\"reason\":\"\\ud800\"}"});
    switch (g.r.nextInt(11)) {
      case 0 -> g.send("GET /status/" + id, "GET", "/status/" + id + query, null);
      case 1 -> g.send("POST /v1/credentials/" + id + "/revoke " + reason, "POST",
          "/v1/credentials/" + id + "/revoke", () -> reason.getBytes(UTF_8), "Authorization", auth,
          "Content-Type", "application/json");
      case 2 -> g.send("POST /v1/credentials/" + id + "/erase", "POST", "/v1/credentials/" + id + "/erase",
          () -> "{}".getBytes(UTF_8), "Authorization", auth, "Content-Type", "application/json");
      case 3 -> g.send("GET /v1/credentials/" + id, "GET", "/v1/credentials/" + id + query, null,
          "Authorization", auth);
      case 4 -> g.send("GET /v1/batches/" + id + "/credentials" + query, "GET",
          "/v1/batches/" + id + "/credentials" + query, null, "Authorization", auth);
      case 5 -> g.send("GET|DELETE /v1/webhooks/" + id, g.r.nextBoolean() ? "GET" : "DELETE",
          "/v1/webhooks/" + id, null, "Authorization", auth);
      case 6 -> g.send("GET /v1/webhooks/" + id + "/deliveries" + query, "GET",
          "/v1/webhooks/" + id + "/deliveries" + query, null, "Authorization", auth);
      case 7 -> g.send("POST /v1/webhooks/" + id + "/deliveries/" + id + "/retry", "POST",
          "/v1/webhooks/" + id + "/deliveries/" + id + "/retry", () -> "{}".getBytes(UTF_8),
          "Authorization", auth, "Content-Type", "application/json");
      case 8 -> g.send("GET /v1/tenants/" + id, "GET", "/v1/tenants/" + id, null, "Authorization", auth);
      case 9 -> {
        String limit = g.pick(new String[] {"0", "101", "-5", "1e2", "abc", "9".repeat(30), "%00"});
        g.send("GET /v1/webhooks?limit=" + limit, "GET", "/v1/webhooks?limit=" + limit, null,
            "Authorization", auth);
      }
      default -> g.send("PUT /v1/issuer with a test key " + reason, "PUT", "/v1/issuer",
          () -> reason.getBytes(UTF_8), "Authorization", auth, "Content-Type", "application/json");
    }
  }

  /** Random bytes that start like a request line. */
  void randomRaw() {
    g.raw(g.chars(HostileCases.ASCII + "\u00ff\u0000\u0007\t ", 1 + g.r.nextInt(200)) + "\r\n\r\n", true,
        null);
  }

  /** What java.net.http cannot send: bytes on a socket. */
  void rawCases() {
    String post = "POST /v1/batches HTTP/1.1\r\nAuthorization: Bearer " + g.keys[0]
        + "\r\nContent-Type: application/json\r\n";
    String get = "GET /v1/batches/x HTTP/1.1\r\n";
    String batch = new String(HostileBodies.valid(), ISO_8859_1);
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
      g.raw(request, true, null);
    }
    g.raw(get, false, null); // HTTP/1.1 requires a Host
    g.raw(post + "Content-Length: " + batch.length() + "\r\n\r\n" + batch, false, null);
    // not HTTP/1.x: Vert.x answers 501 itself, before any handler of the gateway runs
    g.raw("GET /v1/batches/x HTTP/9.9\r\n", true, "status 501");
    g.raw("GET /v1/batches/x HTTX/1.1\r\n", true, "status 501");
    // broken chunk framing: the server cannot tell where the request ends, so closing is an answer
    g.raw(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", true,
        "closed without an answer");
  }
}
