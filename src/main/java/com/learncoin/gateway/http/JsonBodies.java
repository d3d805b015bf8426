package com.learncoin.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Request bodies: a JSON object or {@code invalid_json}; never a parser's exception. */
public final class JsonBodies {
  private JsonBodies() {}

  public static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.INVALID_JSON.exception("The request body must be a JSON object; it was empty.");
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException | IllegalArgumentException | IllegalStateException e) {
      throw ApiError.INVALID_JSON.exception("The request body is not valid JSON (UTF-8, at most "
          + "1000 levels deep).");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw ApiError.INVALID_JSON.exception("The request body must be a JSON object.");
    }
    return object;
  }

  /** An optional body: absent means an empty object. */
  public static JsonObject objectOrEmpty(Buffer body) {
    return body == null || body.length() == 0 ? new JsonObject() : object(body);
  }
}
