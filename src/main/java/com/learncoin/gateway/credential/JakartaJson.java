package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonObject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/** Vert.x JSON to the jakarta.json tree titanium reads, directly (no text round trip). */
final class JakartaJson {
  private JakartaJson() {}

  static jakarta.json.JsonObject of(JsonObject object) {
    JsonObjectBuilder builder = BundledContexts.JSON.createObjectBuilder();
    for (Map.Entry<String, Object> entry : object) {
      builder.add(entry.getKey(), value(entry.getValue()));
    }
    return builder.build();
  }

  private static JsonArray of(io.vertx.core.json.JsonArray array) {
    JsonArrayBuilder builder = BundledContexts.JSON.createArrayBuilder();
    for (Object item : array) {
      builder.add(value(item));
    }
    return builder.build();
  }

  private static JsonValue value(Object value) {
    if (value == null) {
      return JsonValue.NULL;
    } else if (value instanceof String text) {
      return BundledContexts.JSON.createValue(text);
    } else if (value instanceof JsonObject object) {
      return of(object);
    } else if (value instanceof io.vertx.core.json.JsonArray array) {
      return of(array);
    } else if (value instanceof Boolean bool) {
      return bool ? JsonValue.TRUE : JsonValue.FALSE;
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return BundledContexts.JSON.createValue(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      return BundledContexts.JSON.createValue(big);
    } else if (value instanceof BigDecimal big) {
      return BundledContexts.JSON.createValue(big);
    } else if (value instanceof Number number) {
      return BundledContexts.JSON.createValue(number.doubleValue());
    }
    // Vert.x iteration already turns nested Map/List into JsonObject/JsonArray.
    throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
  }
}
