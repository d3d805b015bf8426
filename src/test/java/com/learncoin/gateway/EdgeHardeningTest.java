package com.learncoin.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.admin.AdminTokens;
import com.learncoin.gateway.support.Envelope.Answer;
import com.learncoin.gateway.support.Envelope;
import com.learncoin.gateway.support.RawHttp;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 11 items 5 and 9: the edge (proxies, request framing, admin tokens, media types). */
@ExtendWith(VertxExtension.class)
@DisplayName("The edge refuses what an outside review got through")
class EdgeHardeningTest {
  private static final String CLIENT = "203.0.113.5";
  private static TestGateway app;
  private static String tenant;

  @BeforeAll
  static void start(Vertx vertx) {
    // Behind a proxy on the same host, as with HAProxy's "option forwardfor".
    app = TestGateway.start(vertx, Map.of("LEARNCOIN_TRUSTED_PROXIES", "127.0.0.1/32,::1"));
    tenant = app.tenant("industry");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static Answer getTenant(String key, String... headerLines) {
    StringBuilder request = new StringBuilder("GET /v1/tenants/" + tenant + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " + key + "\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return RawHttp.exchange(app.gateway().port(), request.append("\r\n").toString().getBytes(UTF_8));
  }

  private static void assertError(Answer answer, int status, String code) {
    assertThat(Envelope.problem(answer)).isNull();
    assertThat(answer.status()).isEqualTo(status);
    assertThat(Envelope.code(answer)).isEqualTo(code);
  }

  @Test
  @DisplayName("an X-Forwarded-For line sent by the client ahead of the proxy's own does not choose "
      + "the client address: every line is read, the right-most untrusted hop counts")
  void forwardedForLines() {
    String key = app.key(tenant, "test", CLIENT).getString("key");
    // the attacker's own line first, then the one the proxy appends with the real peer
    assertError(getTenant(key, "X-Forwarded-For: " + CLIENT, "X-Forwarded-For: 198.51.100.7"),
        401, "ip_not_allowed");
    assertError(getTenant(key, "X-Forwarded-For: " + CLIENT + ", 10.9.8.7",
        "X-Forwarded-For: 198.51.100.7, 127.0.0.1"), 401, "ip_not_allowed");
    // the real client in the proxy's line passes, whatever the client wrote before it
    assertThat(getTenant(key, "X-Forwarded-For: 198.51.100.7", "X-Forwarded-For: " + CLIENT)
        .status()).isEqualTo(200);
    assertThat(getTenant(key, "X-Forwarded-For: " + CLIENT + ", 127.0.0.1").status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("an X-Forwarded-For entry that is not an IP makes the client unknown, not the proxy")
  void forwardedForNotAnIp() {
    // allowed from the proxy host itself (its own jobs) and from one office address
    String key = app.key(tenant, "test", CLIENT, "127.0.0.1").getString("key");
    assertThat(getTenant(key).status()).isEqualTo(200);
    for (String value : new String[] {"not-an-ip", CLIENT + ", _hidden", "unknown, 127.0.0.1",
        CLIENT + ":443", "[" + CLIENT + "]", ""}) {
      Answer answer = getTenant(key, "X-Forwarded-For: " + value);
      assertError(answer, 401, "ip_not_allowed");
      assertThat(new String(answer.body(), UTF_8)).as(value).contains("unknown");
    }
    assertError(getTenant(key, "X-Forwarded-For: " + CLIENT, "X-Forwarded-For: junk"),
        401, "ip_not_allowed");
  }

  @Test
  @DisplayName("a request with both Content-Length and Transfer-Encoding is answered 400 and its "
      + "connection closed (RFC 9112 §6.3)")
  void contentLengthWithTransferEncoding() throws IOException {
    String admin = "Authorization: Bearer " + app.adminToken() + "\r\nContent-Type: application/json\r\n";
    String body = "{\"name\":\"Smuggled\"}";
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    for (String framing : new String[] {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: " + chunked.length() + "\r\n"}) {
      // keep-alive on purpose: the server, not the client, must end the connection
      String request = "POST /admin/v1/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\n" + admin + framing
          + "\r\n" + chunked;
      try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(ISO_8859_1));
        InputStream in = socket.getInputStream();
        Answer answer = RawHttp.read(in);
        assertThat(answer).as(framing).isNotNull();
        assertError(answer, 400, "invalid_field_format");
        assertThat(answer.headers().get("connection")).isEqualToIgnoringCase("close");
        assertThat(readsToEnd(in)).as("the server closed the connection").isTrue();
      }
    }
    assertThat(app.queryLong("SELECT count(*) FROM tenants WHERE name = 'Smuggled'")).isZero();
  }

  private static boolean readsToEnd(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset: closed as well
    }
  }

  @Test
  @DisplayName("an admin JWT without exp, with exp more than 24 h ahead or a non-numeric exp is "
      + "401 admin_token_invalid; one valid for 23 h is accepted")
  void adminTokenExpiry(Vertx vertx) {
    JWTAuth jwt = AdminTokens.auth(vertx, app.gateway().adminSecret());
    long now = System.currentTimeMillis() / 1000;
    for (Object exp : new Object[] {null, now + 25 * 3600, now + 10L * 365 * 24 * 3600,
        "tomorrow", String.valueOf(now + 3600), true, new JsonObject().put("a", 1), Long.MAX_VALUE}) {
      JsonObject claims = new JsonObject().put("sub", "admin");
      if (exp != null) {
        claims.put("exp", exp);
      }
      String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
      app.send("GET", "/admin/v1/tenants", null, "Authorization", "Bearer " + token)
          .assertError(401, "admin_token_invalid");
      app.send("GET", "/metrics", null, "Authorization", "Bearer " + token)
          .assertError(401, "admin_token_invalid");
    }
    for (String claim : new String[] {"iat", "nbf"}) {
      String token = jwt.generateToken(new JsonObject().put("sub", "admin").put("exp", now + 3600)
          .put(claim, "yesterday"), new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
      app.send("GET", "/admin/v1/tenants", null, "Authorization", "Bearer " + token)
          .assertError(401, "admin_token_invalid");
    }
    String fine = jwt.generateToken(new JsonObject().put("sub", "admin").put("exp", now + 23 * 3600),
        new JWTOptions().setAlgorithm("HS256"));
    app.send("GET", "/admin/v1/tenants", null, "Authorization", "Bearer " + fine).assertStatus(200);
    String minted = AdminTokens.mint(jwt, 12 * 60); // what the admin-token command prints
    app.send("GET", "/admin/v1/tenants", null, "Authorization", "Bearer " + minted)
        .assertStatus(200);
  }

  @Test
  @DisplayName("a body sent as anything but application/json (charset utf-8 optional) is 415")
  void mediaTypes() {
    byte[] body = new JsonObject().put("name", "Media").put("plan", "starter").toBuffer().getBytes();
    for (String type : new String[] {"application/vnd.api+json", "application/merge-patch+json",
        "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
        "application/json; boundary=x", "application/json-patch+json", "text/json"}) {
      app.send("POST", "/admin/v1/tenants", body, "Authorization", "Bearer " + app.adminToken(),
          "Content-Type", type).assertError(415, "unsupported_media_type");
    }
    for (String type : new String[] {"application/json", "Application/JSON",
        "application/json; charset=utf-8", "application/json;charset=\"UTF-8\"",
        "application/json ; Charset=utf-8"}) {
      app.send("POST", "/admin/v1/tenants", body, "Authorization", "Bearer " + app.adminToken(),
          "Content-Type", type).assertStatus(201);
    }
  }

  @Test
  @DisplayName("JSON with comments is 400 invalid_json")
  void jsonComments() {
    for (String body : new String[] {"{\"name\": \"Commented\" /* c */, \"plan\": \"starter\"}",
        "// c\n{\"name\": \"Commented\"}", "{\"name\": \"Commented\"} # c",
        "{\"name\": \"Commented\", \"plan\": \"starter\" // c\n}"}) {
      app.send("POST", "/admin/v1/tenants", body.getBytes(UTF_8), "Authorization",
          "Bearer " + app.adminToken(), "Content-Type", "application/json")
          .assertError(400, "invalid_json");
    }
    assertThat(app.queryLong("SELECT count(*) FROM tenants WHERE name = 'Commented'")).isZero();
  }
}
