package com.learncoin.gateway.credential;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rest of jsonld.js "safe mode" (the verifiers canonicalize with it), checked on the expanded
 * document. Titanium's undefined-term policy covers undefined terms only; without this, a relative
 * type ("type": [..., "Bogus"]), a relative id or a malformed language tag would silently fall out
 * of the RDF, so they could be added to a signed credential and it would still verify here.
 */
final class SafeMode {
  /** jsonld.js's absolute-IRI test (blank node ids included). */
  private static final Pattern ABSOLUTE = Pattern.compile("^([A-Za-z][A-Za-z0-9+\\-.]*|_):\\S*$");
  /** jsonld.js's BCP 47 well-formedness test for @language. */
  private static final Pattern LANGUAGE = Pattern.compile("^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$");

  private SafeMode() {}

  static void check(JsonArray expanded) throws JsonLdError {
    for (JsonValue item : expanded) {
      walk(item);
    }
  }

  private static void walk(JsonValue value) throws JsonLdError {
    if (value instanceof JsonArray array) {
      for (JsonValue item : array) {
        walk(item);
      }
    } else if (value instanceof JsonObject object) {
      if (object.containsKey("@value")) {
        valueObject(object);
      } else {
        nodeObject(object);
      }
    }
  }

  private static void valueObject(JsonObject value) throws JsonLdError {
    if (value.get("@type") instanceof JsonString type && !"@json".equals(type.getString())
        && !ABSOLUTE.matcher(type.getString()).matches()) {
      throw unsafe("relative datatype '" + type.getString() + "'");
    }
    if (value.get("@language") instanceof JsonString language
        && !LANGUAGE.matcher(language.getString()).matches()) {
      throw unsafe("malformed @language '" + language.getString() + "'");
    }
  }

  private static void nodeObject(JsonObject node) throws JsonLdError {
    for (Map.Entry<String, JsonValue> entry : node.entrySet()) {
      String key = entry.getKey();
      switch (key) {
        case "@id" -> reference(entry.getValue(), "@id");
        case "@type" -> {
          for (JsonValue type : asArray(entry.getValue())) {
            reference(type, "@type");
          }
        }
        case "@reverse" -> nodeObject(entry.getValue().asJsonObject());
        case "@graph", "@list", "@set", "@included" -> walk(entry.getValue());
        default -> property(key, entry.getValue());
      }
    }
  }

  private static void property(String key, JsonValue value) throws JsonLdError {
    if (key.startsWith("@")) {
      return;
    }
    if (key.startsWith("_:") || !ABSOLUTE.matcher(key).matches()) {
      throw unsafe("property '" + key + "' is not an absolute IRI");
    }
    walk(value);
  }

  private static void reference(JsonValue value, String keyword) throws JsonLdError {
    if (!(value instanceof JsonString text) || !ABSOLUTE.matcher(text.getString()).matches()) {
      throw unsafe("relative " + keyword + " reference " + value);
    }
  }

  private static JsonArray asArray(JsonValue value) {
    return value instanceof JsonArray array ? array : BundledContexts.JSON.createArrayBuilder()
        .add(value).build();
  }

  private static JsonLdError unsafe(String what) {
    return new JsonLdError(JsonLdErrorCode.UNSPECIFIED, "safe mode: " + what
        + " would be dropped from the canonical form (and so from the signature)");
  }
}
