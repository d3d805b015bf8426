package com.learncoin.gateway.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ContractCheck: a response that differs from openapi.yaml fails the test that received it")
class ContractCheckTest {
  private static final String REQUEST_ID = "req_01JD7Q3V3D5F7H9K1M3P5R7T9V";
  private static final String BATCH = "{\"id\":\"bat_01JD7Q3V3ZQ5E9XK2W8Y4B6C0D\",\"object\":\"batch\","
      + "\"status\":\"queued\",\"network\":\"base-sepolia\",\"count\":1,"
      + "\"created_at\":\"2026-11-27T10:00:00.123Z\",\"updated_at\":\"2026-11-27T10:00:00.123Z\","
      + "\"anchor\":null,\"last_error\":null}";
  private final ContractCheck check = ContractCheck.get();

  @Test
  @DisplayName("a documented answer passes: status, JSON body by its schema, required headers")
  void documented() {
    assertThatCode(() -> check.check("GET", "/v1/batches/bat_01JD7Q3V3ZQ5E9XK2W8Y4B6C0D?x=1",
        reply(200, BATCH, "application/json", rateLimited()))).doesNotThrowAnyException();
    assertThatCode(() -> check.check("GET", "/health/live",
        reply(200, "{\"status\":\"live\"}", "application/json", Map.of())))
        .doesNotThrowAnyException();
    assertThatCode(() -> check.check("GET", "/openapi.yaml",
        reply(200, "openapi: 3.1.0", "application/yaml", Map.of()))).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("an undocumented route, status, media type, body, error code or a missing header fails, naming it")
  void mismatches() {
    assertThatThrownBy(() -> check.check("GET", "/v1/nothing", reply(200, "{}", "application/json",
        Map.of()))).isInstanceOf(AssertionError.class).hasMessageContaining("no operation");
    assertThatThrownBy(() -> check.check("GET", "/health/live", reply(418, "{}", "application/json",
        Map.of()))).isInstanceOf(AssertionError.class).hasMessageContaining("status 418");
    assertThatThrownBy(() -> check.check("GET", "/health/live", reply(200, "live", "text/plain",
        Map.of()))).isInstanceOf(AssertionError.class).hasMessageContaining("text/plain");
    assertThatThrownBy(() -> check.check("GET", "/health/live", reply(200, "{\"status\":\"up\"}",
        "application/json", Map.of()))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("getLiveness");
    assertThatThrownBy(() -> check.check("GET", "/v1/batches/bat_01JD7Q3V3ZQ5E9XK2W8Y4B6C0D",
        reply(200, BATCH.replace("\"count\":1", "\"count\":\"1\""), "application/json",
            rateLimited()))).isInstanceOf(AssertionError.class).hasMessageContaining("count");
    Map<String, String> noPolicy = new LinkedHashMap<>(rateLimited());
    noPolicy.remove("RateLimit-Policy");
    assertThatThrownBy(() -> check.check("GET", "/v1/batches/bat_01JD7Q3V3ZQ5E9XK2W8Y4B6C0D",
        reply(200, BATCH, "application/json", noPolicy))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("RateLimit-Policy");
    String notFound = "{\"error\":{\"code\":\"%s\",\"message\":\"No such batch.\","
        + "\"request_id\":\"" + REQUEST_ID + "\"}}";
    assertThatCode(() -> check.check("GET", "/v1/batches/bat_01JD7Q3V3ZQ5E9XK2W8Y4B6C0D",
        reply(404, notFound.formatted("batch_not_found"), "application/json", rateLimited())))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> check.check("GET", "/v1/batches/bat_01JD7Q3V3ZQ5E9XK2W8Y4B6C0D",
        reply(404, notFound.formatted("webhook_not_found"), "application/json", rateLimited())))
        .isInstanceOf(AssertionError.class).hasMessageContaining("x-error-codes");
  }

  private static Map<String, String> rateLimited() {
    return Map.of("RateLimit-Policy", "\"tenant\";q=120;w=60", "RateLimit", "\"tenant\";r=119;t=0");
  }

  private static HttpResponse<byte[]> reply(int status, String body, String type,
      Map<String, String> extra) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-Request-Id", List.of(REQUEST_ID));
    headers.put("Content-Type", List.of(type));
    extra.forEach((name, value) -> headers.put(name, List.of(value)));
    HttpHeaders all = HttpHeaders.of(headers, (name, value) -> true);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new HttpResponse<>() {
      @Override public int statusCode() { return status; }
      @Override public HttpRequest request() { return null; }
      @Override public Optional<HttpResponse<byte[]>> previousResponse() { return Optional.empty(); }
      @Override public HttpHeaders headers() { return all; }
      @Override public byte[] body() { return bytes; }
      @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
      @Override public URI uri() { return URI.create("http://127.0.0.1/"); }
      @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    };
  }
}
