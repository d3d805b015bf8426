package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A document's skeleton for {@link FastCanonicalization}: its JSON with every string value
 * replaced by a numbered marker (the values collected in order), or null when the document is not
 * of our credentials' shape (an unknown key, a number, an array of strings outside @context/type).
 */
final class CredentialSkeleton {
  static final String MARKER = "urn:x-learncoin-slot:";
  /** The keys our credentials use; "@context" only at the top. */
  private static final Set<String> KEYS = Set.of("id", "type", "issuer", "name", "validFrom",
      "validUntil", "credentialSubject", "achievement", "description", "criteria", "narrative",
      "alignment", "targetName", "targetUrl", "targetFramework", "targetCode",
      "targetDescription", "credentialStatus", "statusPurpose", "statusListIndex",
      "statusListCredential");

  private CredentialSkeleton() {}

  /** The skeleton of {@code document}, its string values appended to {@code values}; or null. */
  static JsonObject of(JsonObject document, List<String> values) {
    return skeleton(document, values, true);
  }

  /** The skeleton (values appended to {@code values}), or null when not our shape. */
  private static JsonObject skeleton(JsonObject object, List<String> values, boolean top) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> entry : object) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.equals("@context") && top || key.equals("type")) {
        if (!stringOrStrings(value)) {
          return null;
        }
        out.put(key, value);
      } else if (!KEYS.contains(key)) {
        return null;
      } else if (value instanceof JsonArray array) {
        JsonArray items = new JsonArray();
        for (Object item : array) {
          // Our only arrays (besides @context and type) are lists of nodes (alignment).
          Object skeletonItem = item instanceof JsonObject ? skeletonValue(item, values) : null;
          if (skeletonItem == null) {
            return null;
          }
          items.add(skeletonItem);
        }
        out.put(key, items);
      } else {
        Object skeletonValue = skeletonValue(value, values);
        if (skeletonValue == null) {
          return null;
        }
        out.put(key, skeletonValue);
      }
    }
    return out;
  }

  private static Object skeletonValue(Object value, List<String> values) {
    if (value instanceof String text) {
      values.add(text);
      return MARKER + (values.size() - 1);
    }
    if (value instanceof JsonObject object) {
      return skeleton(object, values, false);
    }
    return null;
  }

  private static boolean stringOrStrings(Object value) {
    if (value instanceof String) {
      return true;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      return false;
    }
    for (Object item : array) {
      if (!(item instanceof String)) {
        return false;
      }
    }
    return true;
  }
}
