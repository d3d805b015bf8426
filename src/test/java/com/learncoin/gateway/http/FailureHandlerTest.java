package com.learncoin.gateway.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.support.CapturedLogs;
import com.learncoin.gateway.support.Envelope.Answer;
import com.learncoin.gateway.support.RawHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failure handler behind a real {@link Router} on a real server: what a client receives for
 * each kind of failure. A first handler stands in for RequestIdHandler: it sets the request id
 * (from the test's {@code X-Test-Request-Id}) in the context and in {@code X-Request-Id}, as the
 * real chain does; without that header the request looks like one Vert.x rejected before the chain.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("FailureHandler renders every failure as the error envelope, and leaks nothing")
class FailureHandlerTest {
  private static final String ID_HEADER = "X-Test-Request-Id";
  private static final String INTERNAL = "An internal error occurred; nothing was committed. Retry "
      + "with the same Idempotency-Key, and quote %s if it persists.";
  private static final String SECRET = "password=hunter2 at db.internal:5432";

  /** Ctx.ERROR_CODE as it stood when the response head was written, by request id. */
  private static final Map<String, String> errorCodes = new ConcurrentHashMap<>();
  /** Ctx.ERROR_CODE right after ctx.fail(...) returned (the failure handler runs within it). */
  private static final Map<String, String> afterFail = new ConcurrentHashMap<>();
  private static HttpServer server;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    FailureHandler failures = new FailureHandler();
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      String id = ctx.request().getHeader(ID_HEADER);
      if (id != null) {
        ctx.put(Ctx.REQUEST_ID, id);
        ctx.response().putHeader("X-Request-Id", id);
        ctx.addHeadersEndHandler(v -> errorCodes.put(id, String.valueOf((Object) ctx.get(Ctx.ERROR_CODE))));
      }
      ctx.next();
    });
    router.post("/limited").handler(BodyHandler.create(false).setBodyLimit(16))
        .handler(ctx -> ctx.response().end("small enough"));
    router.get("/api").handler(ctx -> ctx.fail(ApiError.CREDENTIAL_NOT_FOUND
        .exception("Credential cred_123 does not exist.")));
    router.get("/api-with-500").handler(ctx -> ctx.fail(500, ApiError.RATE_LIMITED
        .exception("Slow down: 120 requests per minute.")));
    router.get("/api-thrown").handler(ctx -> {
      throw ApiError.TIER_REQUIRED.exception("Needs the institution plan.");
    });
    router.get("/http/:status").handler(ctx -> ctx.fail(new HttpException(
        Integer.parseInt(ctx.pathParam("status")), SECRET, new IllegalStateException(SECRET))));
    router.get("/status/:status").handler(ctx -> ctx.fail(Integer.parseInt(ctx.pathParam("status"))));
    router.get("/status-with-cause/:status").handler(ctx -> ctx.fail(
        Integer.parseInt(ctx.pathParam("status")), new IllegalStateException(SECRET)));
    router.get("/boom").handler(ctx -> ctx.fail(new IllegalStateException(SECRET)));
    router.get("/thrown").handler(ctx -> {
      throw new IllegalArgumentException(SECRET);
    });
    router.get("/db/closed").handler(ctx -> ctx.fail(ClosedConnectionException.INSTANCE));
    router.get("/db/socket").handler(ctx -> ctx.fail(
        new RuntimeException("statement failed", new SocketException("Connection reset"))));
    router.get("/db/admin-shutdown").handler(ctx -> ctx.fail(new PgException(
        "terminating connection due to administrator command", "FATAL", "57P01", null)));
    router.get("/db/pool-timeout").handler(ctx -> ctx.fail(
        new RuntimeException("Timeout waiting for connection from pool")));
    router.get("/db/syntax").handler(ctx -> ctx.fail(new PgException(
        "syntax error at or near \"SELEC\"", "ERROR", "42601", null)));
    router.get("/failed-in-time").handler(ctx -> {
      ctx.fail(new IllegalStateException(SECRET));
      afterFail.put("control", String.valueOf((Object) ctx.get(Ctx.ERROR_CODE)));
    });
    router.get("/ended-then-failed").handler(ctx -> {
      ctx.response().end("done");
      ctx.fail(new IllegalStateException(SECRET));
      afterFail.put("ended", String.valueOf((Object) ctx.get(Ctx.ERROR_CODE)));
    });
    router.get("/head-written-then-failed").handler(ctx -> {
      ctx.response().setChunked(true).write("partial");
      ctx.fail(new IllegalStateException(SECRET));
      afterFail.put("head", String.valueOf((Object) ctx.get(Ctx.ERROR_CODE)));
    });
    router.route("/only-get").method(HttpMethod.GET).handler(ctx -> ctx.response().end("got"));
    router.route().failureHandler(failures);

    // Routes under /bare/ fail outside the failure handler above: what reaches the router's error
    // handlers (forStatus) rather than the route's failure handler.
    Router bare = Router.router(vertx);
    bare.get("/bare/thrown").handler(ctx -> {
      throw new IllegalStateException(SECRET);
    });
    bare.get("/bare/status/:status").handler(ctx -> ctx.fail(Integer.parseInt(ctx.pathParam("status"))));
    for (Router r : List.of(router, bare)) {
      for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
        r.errorHandler(status, failures.forStatus(status));
      }
    }

    server = vertx.createHttpServer()
        .requestHandler(request -> (request.path().startsWith("/bare/") ? bare : router).handle(request))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = server.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  // --- API errors ---

  @Test
  @DisplayName("an ApiException: its code's status, its code and its message, the chain's request id")
  void apiException() {
    HttpResponse<Buffer> r = get("/api", "req_api");
    assertEnvelope(r, 404, "credential_not_found", "Credential cred_123 does not exist.", "req_api");
    assertThat(r.getHeader("X-Request-Id")).isEqualTo("req_api");
    assertThat(errorCodes).containsEntry("req_api", "credential_not_found");
  }

  @Test
  @DisplayName("an ApiException decides the status even when failed with another one")
  void apiExceptionBeatsStatus() {
    assertEnvelope(get("/api-with-500", "req_api500"), 429, "rate_limited",
        "Slow down: 120 requests per minute.", "req_api500");
  }

  @Test
  @DisplayName("an ApiException thrown by a handler (not passed to ctx.fail) renders the same way")
  void apiExceptionThrown() {
    assertEnvelope(get("/api-thrown", "req_thrown_api"), 403, "tier_required",
        "Needs the institution plan.", "req_thrown_api");
  }

  // --- Vert.x HttpException ---

  static Stream<Arguments> httpExceptions() {
    return Stream.of(
        Arguments.of(400, 400, "invalid_field_format",
            "The request is malformed (path, query string or headers)."),
        Arguments.of(401, 401, "api_key_invalid", "The request is malformed."),
        Arguments.of(404, 404, "route_not_found", "No route /http/404; see /openapi.yaml."),
        Arguments.of(405, 405, "method_not_allowed", "Method GET is not allowed on /http/405."),
        Arguments.of(413, 413, "payload_too_large",
            "The request body is larger than this server accepts."),
        Arguments.of(414, 413, "payload_too_large",
            "The request body is larger than this server accepts."),
        Arguments.of(431, 413, "payload_too_large",
            "The request body is larger than this server accepts."),
        Arguments.of(415, 415, "unsupported_media_type",
            "Request bodies must be sent as Content-Type: application/json."),
        // Any other 4xx is rendered as a 400: the envelope's code fixes the status.
        Arguments.of(409, 400, "invalid_field_format",
            "The request is malformed (path, query string or headers)."),
        Arguments.of(429, 400, "invalid_field_format",
            "The request is malformed (path, query string or headers)."),
        Arguments.of(503, 503, "service_unavailable", "The service is not ready."),
        Arguments.of(500, 500, "internal_error", INTERNAL.formatted("req_http_500")),
        Arguments.of(502, 500, "internal_error", INTERNAL.formatted("req_http_502")));
  }

  @ParameterizedTest(name = "HttpException({0}) → {1} {2}")
  @MethodSource("httpExceptions")
  @DisplayName("a Vert.x HttpException maps by its status; its payload and cause stay private")
  void httpException(int thrown, int status, String code, String message) {
    String id = "req_http_" + thrown;
    HttpResponse<Buffer> r = get("/http/" + thrown, id);
    assertEnvelope(r, status, code, message, id);
    assertThat(r.bodyAsString()).doesNotContain("hunter2").doesNotContain("IllegalState");
    assertThat(errorCodes).containsEntry(id, code);
  }

  @Test
  @DisplayName("503 carries no Retry-After (FailureHandler sets none)")
  void serviceUnavailableHeaders() {
    HttpResponse<Buffer> r = get("/http/503", "req_503_headers");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Retry-After")).isNull();
  }

  // --- ctx.fail(status) and ctx.fail(status, throwable) ---

  static Stream<Arguments> bareStatuses() {
    return Stream.of(
        Arguments.of("/status/400", 400, "invalid_field_format",
            "The request is malformed (path, query string or headers)."),
        Arguments.of("/status/404", 404, "route_not_found", "No route /status/404; see /openapi.yaml."),
        Arguments.of("/status/415", 415, "unsupported_media_type",
            "Request bodies must be sent as Content-Type: application/json."),
        Arguments.of("/status/418", 400, "invalid_field_format",
            "The request is malformed (path, query string or headers)."),
        Arguments.of("/status/503", 503, "service_unavailable", "The service is not ready."),
        Arguments.of("/status/500", 500, "internal_error", INTERNAL.formatted("req_status")),
        // A 4xx with a cause is Vert.x's own rejection: rendered by status, the cause not logged.
        Arguments.of("/status-with-cause/400", 400, "invalid_field_format",
            "The request is malformed (path, query string or headers)."),
        Arguments.of("/status-with-cause/413", 413, "payload_too_large",
            "The request body is larger than this server accepts."));
  }

  @ParameterizedTest(name = "{0} → {1} {2}")
  @MethodSource("bareStatuses")
  @DisplayName("ctx.fail(status) maps by the status")
  void failStatus(String path, int status, String code, String message) {
    HttpResponse<Buffer> r = get(path, "req_status");
    assertEnvelope(r, status, code, message, "req_status");
    assertThat(r.bodyAsString()).doesNotContain("hunter2");
  }

  // --- unexpected failures ---

  @Test
  @DisplayName("an unexpected exception: 500 internal_error quoting the request id; logged with its stack, never sent")
  void unexpected() {
    try (CapturedLogs logs = new CapturedLogs()) {
      HttpResponse<Buffer> r = get("/boom", "req_boom");
      assertEnvelope(r, 500, "internal_error", INTERNAL.formatted("req_boom"), "req_boom");
      assertThat(r.bodyAsString()).doesNotContain("hunter2").doesNotContain("IllegalState")
          .doesNotContain("at com.learncoin");
      assertThat(errorCodes).containsEntry("req_boom", "internal_error");
      List<JsonObject> lines = failureLines(logs);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).getString("level")).isEqualTo("ERROR");
      assertThat(lines.get(0).getString("message"))
          .isEqualTo("Unhandled failure of request req_boom GET /boom");
      assertThat(lines.get(0).getString("stack_trace")).contains("IllegalStateException")
          .contains("hunter2");
    }
  }

  @Test
  @DisplayName("an exception thrown by a handler is the same 500")
  void thrown() {
    assertEnvelope(get("/thrown", "req_thrown"), 500, "internal_error",
        INTERNAL.formatted("req_thrown"), "req_thrown");
  }

  @Test
  @DisplayName("a 5xx status with a cause is treated as unexpected: 500, the cause not sent")
  void serverStatusWithCause() {
    HttpResponse<Buffer> r = get("/status-with-cause/502", "req_502");
    assertEnvelope(r, 500, "internal_error", INTERNAL.formatted("req_502"), "req_502");
    assertThat(r.bodyAsString()).doesNotContain("hunter2");
  }

  // --- PostgreSQL unavailable ---

  @ParameterizedTest(name = "{0}")
  @MethodSource("databaseDown")
  @DisplayName("PostgreSQL unavailable: the same 500 internal_error, logged as one WARN line without a stack")
  void databaseUnavailable(String path) {
    try (CapturedLogs logs = new CapturedLogs()) {
      HttpResponse<Buffer> r = get(path, "req_db");
      assertEnvelope(r, 500, "internal_error", INTERNAL.formatted("req_db"), "req_db");
      assertThat(r.getHeader("Retry-After")).isNull();
      List<JsonObject> lines = failureLines(logs);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).getString("level")).isEqualTo("WARN");
      assertThat(lines.get(0).getString("message"))
          .startsWith("Request req_db GET " + path + " failed: PostgreSQL unavailable (");
      assertThat(lines.get(0).containsKey("stack_trace")).isFalse();
    }
  }

  static Stream<String> databaseDown() {
    return Stream.of("/db/closed", "/db/socket", "/db/admin-shutdown", "/db/pool-timeout");
  }

  @Test
  @DisplayName("a PostgreSQL error that is not an outage (syntax error) is an unexpected failure: ERROR with a stack")
  void databaseStatementError() {
    try (CapturedLogs logs = new CapturedLogs()) {
      assertEnvelope(get("/db/syntax", "req_sql"), 500, "internal_error",
          INTERNAL.formatted("req_sql"), "req_sql");
      List<JsonObject> lines = failureLines(logs);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).getString("level")).isEqualTo("ERROR");
      assertThat(lines.get(0).getString("stack_trace")).contains("42601");
    }
  }

  // --- the router's error handlers (forStatus) ---

  @Test
  @DisplayName("forStatus(404): no route matched")
  void unmatchedRoute() {
    HttpResponse<Buffer> r = get("/nowhere/at/all?x=1", "req_404");
    assertEnvelope(r, 404, "route_not_found", "No route /nowhere/at/all; see /openapi.yaml.", "req_404");
    assertThat(errorCodes).containsEntry("req_404", "route_not_found");
  }

  @Test
  @DisplayName("forStatus(405): the path matched, the method did not")
  void wrongMethod() {
    HttpResponse<Buffer> r = send(HttpMethod.DELETE, "/only-get", "req_405", null);
    assertEnvelope(r, 405, "method_not_allowed", "Method DELETE is not allowed on /only-get.", "req_405");
  }

  @Test
  @DisplayName("a body over BodyHandler's limit is 413 payload_too_large; one within it passes")
  void bodyTooLarge() {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/limited", "req_413", Buffer.buffer("x".repeat(17)));
    assertEnvelope(r, 413, "payload_too_large",
        "The request body is larger than this server accepts.", "req_413");
    HttpResponse<Buffer> ok = send(HttpMethod.POST, "/limited", "req_16", Buffer.buffer("x".repeat(16)));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsString()).isEqualTo("small enough");
  }

  @Test
  @DisplayName("forStatus(500): an exception no failure handler caught; 500 internal_error, logged")
  void forStatus500() {
    try (CapturedLogs logs = new CapturedLogs()) {
      HttpResponse<Buffer> r = get("/bare/thrown", null);
      String id = r.getHeader("X-Request-Id");
      assertThat(id).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
      assertEnvelope(r, 500, "internal_error", INTERNAL.formatted(id), id);
      assertThat(r.bodyAsString()).doesNotContain("hunter2");
      assertThat(failureLines(logs)).singleElement()
          .satisfies(line -> assertThat(line.getString("level")).isEqualTo("ERROR"));
    }
  }

  @Test
  @DisplayName("forStatus(status): ctx.fail(status) with no failure handler on the route")
  void forStatusOfFailedStatus() {
    HttpResponse<Buffer> r = get("/bare/status/415", null);
    assertEnvelope(r, 415, "unsupported_media_type",
        "Request bodies must be sent as Content-Type: application/json.", r.getHeader("X-Request-Id"));
    HttpResponse<Buffer> r400 = get("/bare/status/400", null);
    assertEnvelope(r400, 400, "invalid_field_format",
        "The request is malformed (path, query string or headers).", r400.getHeader("X-Request-Id"));
  }

  // --- request ids ---

  @Test
  @DisplayName("a request without an id yet gets a fresh req_ ULID, in the body and in X-Request-Id")
  void requestIdMintedWhenMissing() {
    HttpResponse<Buffer> first = get("/boom", null);
    HttpResponse<Buffer> second = get("/nowhere", null);
    String id = first.getHeader("X-Request-Id");
    assertThat(id).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
    assertEnvelope(first, 500, "internal_error", INTERNAL.formatted(id), id);
    String other = second.getHeader("X-Request-Id");
    assertThat(other).matches("req_[0-9A-HJKMNP-TV-Z]{26}").isNotEqualTo(id);
    assertEnvelope(second, 404, "route_not_found", "No route /nowhere; see /openapi.yaml.", other);
  }

  @Test
  @DisplayName("a URI Vert.x cannot decode is rejected before the chain: 400, with a minted id")
  void malformedUri() {
    Answer a = RawHttp.exchange(port, ("GET /a%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\n\r\n").getBytes(ISO_8859_1));
    assertThat(a).isNotNull();
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.contentType()).isEqualTo("application/json");
    assertThat(a.requestId()).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(new JsonObject(Buffer.buffer(a.body()))).isEqualTo(envelope("invalid_field_format",
        "The request is malformed (path, query string or headers).", a.requestId()));
  }

  // --- responses already under way ---

  @Test
  @DisplayName("control: the failure handler has rendered by the time ctx.fail(...) returns")
  void failureHandledWithinFail() {
    assertEnvelope(get("/failed-in-time", "req_control"), 500, "internal_error",
        INTERNAL.formatted("req_control"), "req_control");
    assertThat(afterFail).containsEntry("control", "internal_error");
  }

  @Test
  @DisplayName("a failure after the response ended changes nothing the client sees")
  void failureAfterEnd() {
    HttpResponse<Buffer> r = get("/ended-then-failed", "req_ended");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsString()).isEqualTo("done");
    assertThat(errorCodes).containsEntry("req_ended", "null");
    assertThat(afterFail).as("no envelope was attempted").containsEntry("ended", "null");
  }

  @Test
  @DisplayName("a failure after the head was written resets the connection: no envelope after a 200 head")
  void failureAfterHead() {
    assertThatThrownBy(() -> get("/head-written-then-failed", "req_head"))
        .isInstanceOf(IllegalStateException.class).hasMessage("request failed");
    assertThat(errorCodes).containsEntry("req_head", "null");
    assertThat(afterFail).as("no envelope was attempted").containsEntry("head", "null");
  }

  // --- helpers ---

  private static HttpResponse<Buffer> get(String path, String requestId) {
    return send(HttpMethod.GET, path, requestId, null);
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String requestId, Buffer body) {
    var request = client.request(method, port, "127.0.0.1", path);
    if (requestId != null) {
      request.putHeader(ID_HEADER, requestId);
    }
    Supplier<Future<HttpResponse<Buffer>>> call = () -> body == null ? request.send() : request.sendBuffer(body);
    try {
      return call.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("request failed", e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertEnvelope(HttpResponse<Buffer> r, int status, String code, String message,
      String requestId) {
    assertThat(r.statusCode()).as("status").isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).as("Content-Type").isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject()).as("body").isEqualTo(envelope(code, message, requestId));
  }

  private static JsonObject envelope(String code, String message, String requestId) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", code).put("message", message).put("request_id", requestId));
  }

  private static List<JsonObject> failureLines(CapturedLogs logs) {
    return logs.json().stream()
        .filter(line -> FailureHandler.class.getName().equals(line.getString("logger"))).toList();
  }
}
