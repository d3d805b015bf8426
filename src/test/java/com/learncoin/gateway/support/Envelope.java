package com.learncoin.gateway.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** API.md §1 as a check over any answer, raw or not: what is wrong with it, or null. */
public final class Envelope {
  private static final Pattern REQUEST_ID = Pattern.compile("req_[0-9A-HJKMNP-TV-Z]{26}");
  /** Each code with the status it fixes, the allowed additions included. */
  private static final Map<String, Integer> CODES = new HashMap<>();

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

  private Envelope() {}

  /** An answer as bytes: status, the two headers the contract names, the body, all headers (lower case). */
  public record Answer(int status, String contentType, String requestId, byte[] body,
      Map<String, String> headers) {
    public static Answer of(Reply reply) {
      Map<String, String> headers = new HashMap<>();
      reply.raw().headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
      return new Answer(reply.status(), reply.header("Content-Type"), reply.header("X-Request-Id"),
          reply.raw().body(), headers);
    }
  }

  /** What is wrong with a 4xx answer under the contract, or null. */
  public static String problemOf4xx(Answer a) {
    if (a.status() < 400 || a.status() > 499) {
      return "status " + a.status() + " (" + a.contentType() + ") is not a 4xx JSON answer";
    }
    return problem(a);
  }

  /** What is wrong with an error answer's envelope, or null. */
  public static String problem(Answer a) {
    if (!"application/json".equals(a.contentType())) {
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

  /** The error code of an answer, or "-" when it has none. */
  public static String code(Answer a) {
    try {
      return new JsonObject(new String(a.body(), UTF_8)).getJsonObject("error").getString("code");
    } catch (RuntimeException e) {
      return "-";
    }
  }
}
