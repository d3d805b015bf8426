package com.learncoin.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** A response as a test reads it, with the checks every error answer must pass. */
public record Reply(int status, HttpResponse<byte[]> raw) {
  public String header(String name) {
    return raw.headers().firstValue(name).orElse(null);
  }

  public String text() {
    return new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  public JsonObject json() {
    return new JsonObject(text());
  }

  /** Status and code as the contract fixes them, the envelope's shape, and matching request ids. */
  public JsonObject assertError(int expectedStatus, String expectedCode) {
    assertThat(status).as("status of %s", text()).isEqualTo(expectedStatus);
    assertThat(header("Content-Type")).isEqualTo("application/json");
    JsonObject body = json();
    assertThat(body.fieldNames()).containsExactly("error");
    JsonObject error = body.getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(expectedCode);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("request_id")).matches("req_[0-9A-HJKMNP-TV-Z]{26}")
        .isEqualTo(header("X-Request-Id"));
    return error;
  }

  public Reply assertStatus(int expected) {
    assertThat(status).as("status of %s", text()).isEqualTo(expected);
    return this;
  }
}
