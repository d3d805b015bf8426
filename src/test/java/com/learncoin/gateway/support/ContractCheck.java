package com.learncoin.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.impl.Utils;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every response a test receives through {@link TestGateway} is checked against openapi.yaml with
 * Vert.x's own {@code vertx-openapi}: the operation matching method and path must exist, must
 * document the status, and the body (by media type and schema) and documented headers must match.
 * So the document cannot drift from what the server sends.
 */
final class ContractCheck {
  static final String DOCUMENT = "src/main/resources/openapi.yaml";
  /**
   * Media types other than JSON (text/html, application/yaml, Prometheus' text/plain) are checked
   * by name only: vertx-openapi refuses some in a contract and cannot apply a schema to the rest.
   */
  private static final String OPAQUE = "application/octet-stream";
  private static ContractCheck instance;

  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  /** "operationId status" to the document's own media types, before the opaque rewrite. */
  private final Map<String, JsonObject> declared = new HashMap<>();

  private ContractCheck() {
    // Its own Vert.x: the validator runs schema checks on a worker thread of it.
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject raw = Utils.readYamlOrJson(vertx, DOCUMENT).await(30, TimeUnit.SECONDS);
      // The server's URL is relative to the document; tests address paths directly.
      raw.remove("servers");
      rewriteOpaqueMediaTypes(raw);
      this.contract = OpenAPIContract.from(vertx, raw).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(DOCUMENT + " is not a contract vertx-openapi reads", e);
    }
    this.validator = ResponseValidator.create(vertx, contract);
  }

  static synchronized ContractCheck get() {
    if (instance == null) {
      instance = new ContractCheck();
    }
    return instance;
  }

  /** Fails (AssertionError) with what differs between the response and the document. */
  void check(String method, String target, HttpResponse<byte[]> response) {
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    int status = response.statusCode();
    String where = method + " " + target + " → " + status;
    Operation operation = contract.findOperation(path, HttpMethod.valueOf(method));
    if (operation == null) {
      throw mismatch(where, "no operation in " + DOCUMENT + " matches " + method + " " + path
          + " (a test that probes an undocumented route must use app.unvalidated())", response);
    }
    Response documented = operation.getResponse(status);
    if (documented == null) {
      documented = operation.getDefaultResponse();
    }
    if (documented == null) {
      throw mismatch(where, "status " + status + " is not documented for "
          + operation.getOperationId(), response);
    }
    byte[] body = response.body();
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    if (body.length > 0 && documented.getContent().isEmpty()) {
      throw mismatch(where, operation.getOperationId() + " " + status
          + " documents no body, the server sent " + contentType, response);
    }
    String media = null;
    if (body.length > 0) {
      media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
      JsonObject types = declared.get(operation.getOperationId() + " " + status);
      if (types != null && types.containsKey(media)) {
        media = OPAQUE;
      } else if (!documented.getContent().containsKey(media)) {
        throw mismatch(where, operation.getOperationId() + " " + status + " documents "
            + documented.getContent().keySet() + ", the server sent Content-Type " + contentType,
            response);
      }
    }
    Map<String, String> headers = new HashMap<>();
    for (Parameter header : documented.getHeaders()) {
      response.headers().firstValue(header.getName()).ifPresent(value -> headers.put(
          header.getName(), quoted(header, value)));
    }
    ValidatableResponse validatable = body.length == 0
        ? ValidatableResponse.create(status, headers)
        : ValidatableResponse.create(status, headers, Buffer.buffer(body), media);
    try {
      validator.validate(validatable, operation.getOperationId()).await(30, TimeUnit.SECONDS);
    } catch (SchemaValidationException e) {
      throw mismatch(where, operation.getOperationId() + ": " + e.getMessage()
          + details(e.getOutputUnit()), response);
    } catch (Exception e) {
      throw mismatch(where, operation.getOperationId() + ": " + e.getMessage() + " (headers "
          + response.headers().map() + ")", response);
    }
    checkErrorCode(where, operation, documented, media, body, response);
  }

  /**
   * Error responses share one schema (a generated client gets one error model); the codes each may
   * carry are listed in its {@code x-error-codes}, and the code sent must be one of them.
   */
  private static void checkErrorCode(String where, Operation operation, Response documented,
      String media, byte[] body, HttpResponse<byte[]> response) {
    JsonArray allowed = documented.getOpenAPIModel().getJsonArray("x-error-codes");
    if (allowed == null || !"application/json".equals(media)) {
      return;
    }
    JsonObject error = new JsonObject(Buffer.buffer(body)).getJsonObject("error");
    String code = error == null ? null : error.getString("code");
    if (!allowed.contains(code)) {
      throw mismatch(where, operation.getOperationId() + " " + response.statusCode()
          + " lists x-error-codes " + allowed + ", the server sent " + code, response);
    }
  }

  /**
   * vertx-openapi decodes a header that is not a bare word as JSON first, so a string such as
   * {@code "tenant";q=120;w=60} (an RFC 9651 structured field) "can't be decoded": hand it a
   * string header as a JSON string, which decodes to exactly the value sent.
   */
  private static String quoted(Parameter header, String value) {
    return header.getSchemaType() == SchemaType.STRING && !value.matches("\\w+")
        ? Json.encode(value) : value;
  }

  private static AssertionError mismatch(String where, String what, HttpResponse<byte[]> response) {
    String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    return new AssertionError("Response does not match " + DOCUMENT + ": " + where + ": " + what
        + "\n  body: " + (body.length() > 600 ? body.substring(0, 600) + "…" : body));
  }

  private static String details(OutputUnit unit) {
    if (unit == null || unit.getErrors() == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (OutputUnit error : unit.getErrors()) {
      out.append("\n  at ").append(error.getInstanceLocation()).append(" (")
          .append(error.getKeywordLocation()).append("): ").append(error.getError());
    }
    return out.toString();
  }

  /** Renames unsupported response media types to an opaque one (no schema), remembering them. */
  private void rewriteOpaqueMediaTypes(JsonObject raw) {
    JsonObject paths = raw.getJsonObject("paths", new JsonObject());
    JsonObject shared = raw.getJsonObject("components", new JsonObject())
        .getJsonObject("responses", new JsonObject());
    Map<String, JsonObject> sharedOpaque = new HashMap<>();
    for (String name : shared.fieldNames()) {
      sharedOpaque.put("#/components/responses/" + name, rewrite(shared.getJsonObject(name)));
    }
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject op) || op.getString("operationId") == null) {
          continue;
        }
        JsonObject responses = op.getJsonObject("responses", new JsonObject());
        for (String status : responses.fieldNames()) {
          JsonObject response = responses.getJsonObject(status);
          JsonObject opaque = response.containsKey("$ref")
              ? sharedOpaque.get(response.getString("$ref")) : rewrite(response);
          if (opaque != null) {
            declared.put(op.getString("operationId") + " " + status, opaque);
          }
        }
      }
    }
  }

  private static boolean isJson(String type) {
    String media = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return media.equals(MediaType.APPLICATION_JSON) || MediaType.isVendorSpecificJson(media);
  }

  private static JsonObject rewrite(JsonObject response) {
    JsonObject content = response == null ? null : response.getJsonObject("content");
    if (content == null) {
      return null;
    }
    JsonObject opaque = new JsonObject();
    for (String type : content.fieldNames().toArray(new String[0])) {
      if (!isJson(type)) {
        opaque.put(type.toLowerCase(Locale.ROOT), content.remove(type));
      }
    }
    if (opaque.isEmpty()) {
      return null;
    }
    content.put(OPAQUE, new JsonObject());
    return opaque;
  }
}
