package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The MUSTs of the W3C Verifiable Credentials Data Model a document can be checked for by its
 * JSON alone (VC 2.0 §4; for VC 1.1, its required members). The JSON-LD side (every term defined,
 * no protected term redefined, nothing dropped) is {@link DataIntegrityProofs#checkSignable}'s
 * and the verifiers'. Each problem names its JSON path.
 */
public final class VcDataModel {
  public static final String VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1";
  /** XML Schema dateTimeStamp: a date-time with a time zone, as VC 2.0 requires. */
  private static final Pattern DATE_TIME_STAMP = Pattern.compile("-?([1-9][0-9]{3,}|0[0-9]{3})"
      + "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
      + "(\\.[0-9]+)?|24:00:00(\\.0+)?)(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))");
  private static final Set<String> DIRECTIONS = Set.of("ltr", "rtl");

  private VcDataModel() {}

  /** The first problem of a credential, or null; VC 1.1 credentials get the 1.1 checks. */
  public static String problem(JsonObject credential) {
    Object context = credential.getValue("@context");
    Object first = context instanceof JsonArray list && !list.isEmpty() ? list.getValue(0) : context;
    if (VC_V1_CONTEXT.equals(first)) {
      return firstOf(types(credential, "type", "VerifiableCredential"),
          required(credential, "issuer"), url(credential.getValue("issuer"), "issuer", true),
          required(credential, "credentialSubject"), required(credential, "issuanceDate"));
    }
    if (!OpenBadgeCredentials.VC_V2_CONTEXT.equals(first)) {
      return "@context must be an array whose first item is " + OpenBadgeCredentials.VC_V2_CONTEXT
          + " (VC 2.0), or " + VC_V1_CONTEXT + " (VC 1.1)";
    }
    List<String> problems = new ArrayList<>();
    if (context instanceof JsonArray list) {
      for (int i = 1; i < list.size(); i++) {
        if (!(list.getValue(i) instanceof JsonObject) && !isUrl(list.getValue(i))) {
          problems.add("@context[" + i + "] must be a URL or an object");
        }
      }
    }
    problems.add(optionalUrl(credential, "id", "id"));
    problems.add(types(credential, "type", "VerifiableCredential"));
    problems.add(texts(credential, "name", "name"));
    problems.add(texts(credential, "description", "description"));
    problems.add(required(credential, "issuer"));
    problems.add(url(credential.getValue("issuer"), "issuer", true));
    if (credential.getValue("issuer") instanceof JsonObject issuer) {
      problems.add(texts(issuer, "name", "issuer.name"));
      problems.add(texts(issuer, "description", "issuer.description"));
    }
    problems.add(subjects(credential.getValue("credentialSubject")));
    problems.add(validity(credential));
    problems.add(typedObjects(credential, "credentialStatus", false));
    problems.add(typedObjects(credential, "credentialSchema", true));
    problems.add(typedObjects(credential, "termsOfUse", false));
    problems.add(typedObjects(credential, "evidence", false));
    problems.add(typedObjects(credential, "refreshService", false));
    problems.add(relatedResources(credential.getValue("relatedResource")));
    return firstOf(problems.toArray(String[]::new));
  }

  private static String subjects(Object value) {
    if (value == null) {
      return "credentialSubject is required";
    }
    List<Object> subjects = items(value);
    if (subjects == null || subjects.isEmpty()) {
      return "credentialSubject must be an object or a non-empty array of objects";
    }
    for (int i = 0; i < subjects.size(); i++) {
      String at = value instanceof JsonArray ? "credentialSubject[" + i + "]" : "credentialSubject";
      if (!(subjects.get(i) instanceof JsonObject subject)) {
        return at + " must be an object";
      }
      if (subject.fieldNames().stream().noneMatch(k -> !k.equals("id"))) {
        return at + " must make at least one claim about its subject (a property besides id)";
      }
      String id = optionalUrl(subject, "id", at + ".id");
      if (id != null) {
        return id;
      }
    }
    return null;
  }

  private static String validity(JsonObject credential) {
    OffsetDateTime from = null;
    for (String field : List.of("validFrom", "validUntil")) {
      Object value = credential.getValue(field);
      if (value == null) {
        continue;
      }
      if (!(value instanceof String text) || !DATE_TIME_STAMP.matcher(text).matches()) {
        return field + " must be an XML Schema dateTimeStamp, e.g. 2026-11-27T10:00:00Z";
      }
      OffsetDateTime at = parse(text);
      if (field.equals("validFrom")) {
        from = at;
      } else if (from != null && at != null && at.isBefore(from)) {
        return "validUntil must not be before validFrom";
      }
    }
    return null;
  }

  /** Each object of {@code field} (one or an array) has a type; {@code withId}: and a URL id. */
  private static String typedObjects(JsonObject credential, String field, boolean withId) {
    Object value = credential.getValue(field);
    if (value == null) {
      return null;
    }
    List<Object> all = items(value);
    if (all == null || all.isEmpty()) {
      return field + " must be an object or a non-empty array of objects";
    }
    for (int i = 0; i < all.size(); i++) {
      String at = value instanceof JsonArray ? field + "[" + i + "]" : field;
      if (!(all.get(i) instanceof JsonObject item)) {
        return at + " must be an object";
      }
      String problem = firstOf(types(item, at + ".type", null), withId
          ? (item.getValue("id") == null ? at + ".id is required" : url(item.getValue("id"),
              at + ".id", false)) : optionalUrl(item, "id", at + ".id"));
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String relatedResources(Object value) {
    if (value == null) {
      return null;
    }
    List<Object> all = items(value);
    if (all == null || all.isEmpty()) {
      return "relatedResource must be an object or a non-empty array of objects";
    }
    for (int i = 0; i < all.size(); i++) {
      String at = value instanceof JsonArray ? "relatedResource[" + i + "]" : "relatedResource";
      if (!(all.get(i) instanceof JsonObject item)) {
        return at + " must be an object";
      }
      if (!isUrl(item.getValue("id"))) {
        return at + ".id is required and must be a URL";
      }
      if (!(item.getValue("digestSRI") instanceof String)
          && !(item.getValue("digestMultibase") instanceof String)) {
        return at + " must have a digestSRI or digestMultibase string";
      }
    }
    return null;
  }

  /** {@code field} is a type name or a non-empty array of them, including {@code needed}. */
  private static String types(JsonObject object, String field, String needed) {
    String name = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
    Object value = object.getValue(name);
    List<Object> all = items(value);
    if (value == null || all == null || all.isEmpty()
        || all.stream().anyMatch(t -> !(t instanceof String s) || s.isBlank())) {
      return field + " is required: a type name or a non-empty array of them";
    }
    if (needed != null && !all.contains(needed)) {
      return field + " must include " + needed;
    }
    return null;
  }

  /** A string, a language value object, or an array of them (VC 2.0 §4.6). */
  private static String texts(JsonObject object, String field, String at) {
    Object value = object.getValue(field);
    for (Object item : value == null ? List.of() : items(value)) {
      if (item instanceof String) {
        continue;
      }
      if (!(item instanceof JsonObject language) || !(language.getValue("@value") instanceof String)
          || language.getValue("@language") != null && !(language.getValue("@language") instanceof String)
          || language.getValue("@direction") != null
              && !DIRECTIONS.contains(language.getValue("@direction"))) {
        return at + " must be a string or a language value object {\"@value\", \"@language\", "
            + "\"@direction\"} (or an array of them)";
      }
    }
    return null;
  }

  private static String required(JsonObject object, String field) {
    return object.getValue(field) == null ? field + " is required" : null;
  }

  private static String optionalUrl(JsonObject object, String field, String at) {
    return object.getValue(field) == null ? null : url(object.getValue(field), at, false);
  }

  /** A URL, or ({@code orObject}) an object whose id is one. */
  private static String url(Object value, String at, boolean orObject) {
    if (orObject && value instanceof JsonObject object) {
      return isUrl(object.getValue("id")) ? null : at + ".id must be a URL";
    }
    if (value == null || isUrl(value)) {
      return null;
    }
    return at + " must be a URL" + (orObject ? " (or an object whose id is one)" : "");
  }

  static boolean isUrl(Object value) {
    if (!(value instanceof String text) || text.isEmpty() || text.chars().anyMatch(c -> c <= ' ')) {
      return false;
    }
    try {
      return new URI(text).isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static List<Object> items(Object value) {
    if (value instanceof JsonArray array) {
      return array.stream().toList();
    }
    return value == null ? null : List.of(value);
  }

  private static OffsetDateTime parse(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String firstOf(String... problems) {
    for (String problem : problems) {
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }
}
