package com.learncoin.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Request bodies: a JSON object in strict UTF-8 whose strings hold no NUL and no unpaired
 * surrogate, or a 400; never a parser's exception, and never text PostgreSQL would refuse or
 * silently alter. Plain RFC 8259 JSON: Vert.x's own parser accepts comments, this one does not.
 */
public final class JsonBodies {
  /** Jackson's defaults, as in Vert.x's own factory (nesting limit included), minus comments. */
  private static final JsonFactory STRICT = JsonFactory.builder()
      .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS).disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
      .build();

  private JsonBodies() {}

  public static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.INVALID_JSON.exception("The request body must be a JSON object; it was empty.");
    }
    return asObject(parse(body));
  }

  /**
   * An optional body: absent, or the JSON {@code null} that generated clients send for an
   * optional body left unset, means an empty object.
   */
  public static JsonObject objectOrEmpty(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    Object parsed = parse(body);
    return parsed == null ? new JsonObject() : asObject(parsed);
  }

  private static Object parse(Buffer body) {
    try {
      return JacksonCodec.fromParser(STRICT.createParser(strictUtf8(body)), Object.class);
    } catch (IOException | DecodeException | IllegalArgumentException | IllegalStateException e) {
      throw ApiError.INVALID_JSON.exception("The request body is not valid JSON (at most 1000 "
          + "levels deep).");
    }
  }

  private static JsonObject asObject(Object parsed) {
    if (!(parsed instanceof JsonObject object)) {
      throw ApiError.INVALID_JSON.exception("The request body must be a JSON object.");
    }
    checkStrings(object, "");
    return object;
  }

  /** Jackson accepts overlong and surrogate-encoded UTF-8; the JDK's strict decoder does not. */
  private static String strictUtf8(Buffer body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiError.INVALID_JSON.exception("The request body is not valid UTF-8.");
    }
  }

  private static void checkStrings(Object value, String path) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        checkText(field.getKey(), child);
        checkStrings(field.getValue(), child);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        checkStrings(array.getValue(i), path + "[" + i + "]");
      }
    } else if (value instanceof String text) {
      checkText(text, path);
    }
  }

  private static void checkText(String text, String path) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unpaired = Character.isHighSurrogate(c)
          ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(++i))
          : Character.isLowSurrogate(c);
      if (c == '\u0000' || unpaired) {
        throw ApiError.INVALID_FIELD_FORMAT.exception((path.isEmpty() ? "The body" : path)
            + " contains a NUL character or an unpaired UTF-16 surrogate.");
      }
    }
  }
}
