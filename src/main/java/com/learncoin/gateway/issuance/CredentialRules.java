package com.learncoin.gateway.issuance;

import static com.learncoin.gateway.http.ApiError.ACHIEVEMENT_TOO_LARGE;
import static com.learncoin.gateway.http.ApiError.ALIGNMENT_FRAMEWORK_UNKNOWN;
import static com.learncoin.gateway.http.ApiError.INVALID_FIELD_FORMAT;
import static com.learncoin.gateway.http.ApiError.MISSING_REQUIRED_FIELD;
import static com.learncoin.gateway.http.ApiError.RECIPIENT_ID_INVALID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One credential of a batch, checked in the order of API.md §5 step 4: required fields, then the
 * recipient id, then formats and types, then alignment frameworks, then the achievement's size.
 */
final class CredentialRules {
  static final int MAX_ACHIEVEMENT_BYTES = 65_536;
  private static final int MAX_TEXT = 10_000;
  private static final Set<String> FRAMEWORKS = Set.of("ESCO", "O*NET", "ISCED-F", "CUSTOM");
  /** java.time takes "10:00:00.Z" (a decimal point with no digits); ISO 8601 does not. */
  private static final Pattern EMPTY_FRACTION = Pattern.compile("\\.(?![0-9])");
  private static final ThreadLocal<LastDate> LAST_DATE = ThreadLocal.withInitial(LastDate::new);

  private static final class LastDate {
    String text;
    OffsetDateTime parsed;
  }
  private static final Pattern UUID_V4_URN = Pattern.compile(
      "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
      Pattern.CASE_INSENSITIVE);

  private CredentialRules() {}

  static JsonObject check(Object value, String path) {
    JsonObject credential = object(value, path);
    JsonObject recipient = object(required(credential, "recipient", path + ".recipient.id"),
        path + ".recipient");
    required(recipient, "id", path + ".recipient.id");
    required(credential, "issuanceDate", path + ".issuanceDate");
    JsonObject achievement = object(required(credential, "achievement", path + ".achievement"),
        path + ".achievement");
    String at = path + ".achievement";
    required(achievement, "name", at + ".name");
    required(achievement, "description", at + ".description");
    required(achievement, "criteria", at + ".criteria");
    JsonArray alignments = alignments(achievement, at);
    for (int j = 0; j < alignments.size(); j++) {
      String ap = at + ".alignment[" + j + "]";
      JsonObject alignment = object(alignments.getValue(j), ap);
      required(alignment, "targetName", ap + ".targetName");
      required(alignment, "targetUrl", ap + ".targetUrl");
      required(alignment, "targetFramework", ap + ".targetFramework");
    }

    String recipientId = text(recipient, "id", path + ".recipient.id");
    if (!UUID_V4_URN.matcher(recipientId).matches()) {
      throw RECIPIENT_ID_INVALID.exception(path + ".recipient.id must be 'urn:uuid:' followed by a "
          + "version-4 UUID, e.g. urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21.");
    }

    optionalText(recipient, "name", path + ".recipient.name");
    optionalText(recipient, "email", path + ".recipient.email");
    OffsetDateTime issued = dateTime(credential, "issuanceDate", path);
    if (credential.getValue("expirationDate") != null
        && !dateTime(credential, "expirationDate", path).isAfter(issued)) {
      throw INVALID_FIELD_FORMAT.exception(path + ".expirationDate must be after issuanceDate.");
    }
    optionalUri(achievement, "id", at + ".id");
    // Inside the achievement the 64 KB total is the only size limit (API.md §5).
    unboundedText(achievement, "name", at + ".name");
    unboundedText(achievement, "description", at + ".description");
    JsonObject criteria = object(achievement.getValue("criteria"), at + ".criteria");
    optionalUnboundedText(criteria, "narrative", at + ".criteria.narrative");
    optionalUri(criteria, "id", at + ".criteria.id");
    for (int j = 0; j < alignments.size(); j++) {
      String ap = at + ".alignment[" + j + "]";
      JsonObject alignment = alignments.getJsonObject(j);
      unboundedText(alignment, "targetName", ap + ".targetName");
      url(alignment, "targetUrl", ap + ".targetUrl");
      unboundedText(alignment, "targetFramework", ap + ".targetFramework");
      optionalUnboundedText(alignment, "targetCode", ap + ".targetCode");
      optionalUnboundedText(alignment, "targetDescription", ap + ".targetDescription");
    }

    for (int j = 0; j < alignments.size(); j++) {
      String framework = alignments.getJsonObject(j).getString("targetFramework");
      if (!FRAMEWORKS.contains(framework)) {
        throw ALIGNMENT_FRAMEWORK_UNKNOWN.exception(at + ".alignment[" + j + "].targetFramework "
            + "must be one of ESCO, O*NET, ISCED-F, CUSTOM.");
      }
    }

    int size = achievement.toBuffer().length();
    if (size > MAX_ACHIEVEMENT_BYTES) {
      throw ACHIEVEMENT_TOO_LARGE.exception(at + " is " + size + " bytes as UTF-8 JSON; the limit "
          + "is " + MAX_ACHIEVEMENT_BYTES + ".");
    }
    return credential;
  }

  private static Object required(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (value == null) {
      throw MISSING_REQUIRED_FIELD.exception(path + " is required.");
    }
    return value;
  }

  private static JsonObject object(Object value, String path) {
    if (!(value instanceof JsonObject object)) {
      throw INVALID_FIELD_FORMAT.exception(path + " must be a JSON object.");
    }
    return object;
  }

  private static JsonArray alignments(JsonObject achievement, String path) {
    Object value = achievement.getValue("alignment");
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array)) {
      throw INVALID_FIELD_FORMAT.exception(path + ".alignment must be an array.");
    }
    return array;
  }

  private static String text(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_TEXT) {
      throw INVALID_FIELD_FORMAT.exception(path + " must be a non-empty string of at most "
          + MAX_TEXT + " characters.");
    }
    return text;
  }

  private static String unboundedText(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw INVALID_FIELD_FORMAT.exception(path + " must be a non-empty string.");
    }
    return text;
  }

  private static void optionalUnboundedText(JsonObject parent, String field, String path) {
    if (parent.getValue(field) != null) {
      unboundedText(parent, field, path);
    }
  }

  private static void optionalText(JsonObject parent, String field, String path) {
    if (parent.getValue(field) != null) {
      text(parent, field, path);
    }
  }

  private static OffsetDateTime dateTime(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    try {
      if (value instanceof String text) {
        // The credentials of a batch mostly share their dates: reuse this thread's last valid one.
        LastDate last = LAST_DATE.get();
        if (text.equals(last.text)) {
          return last.parsed;
        }
        if (!EMPTY_FRACTION.matcher(text).find()) {
          OffsetDateTime parsed = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
          last.text = text;
          last.parsed = parsed;
          return parsed;
        }
      }
    } catch (DateTimeParseException e) {
      // reported below, with the expected format
    }
    throw INVALID_FIELD_FORMAT.exception(path + "." + field + " must be an ISO 8601 date-time "
        + "with an offset, e.g. 2026-11-27T10:00:00Z.");
  }

  private static void url(JsonObject parent, String field, String path) {
    URI uri = uri(parent, field, path);
    if (uri == null || !("https".equalsIgnoreCase(uri.getScheme())
        || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
      throw INVALID_FIELD_FORMAT.exception(path + " must be an absolute http(s) URL, e.g. "
          + "https://example.edu/x.");
    }
  }

  /** An absolute URI (http URLs, urn:uuid, did:...), or null when it is not one. */
  private static URI uri(JsonObject parent, String field, String path) {
    try {
      URI uri = new URI(text(parent, field, path));
      return uri.isAbsolute() ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static void optionalUri(JsonObject parent, String field, String path) {
    if (parent.getValue(field) != null && uri(parent, field, path) == null) {
      throw INVALID_FIELD_FORMAT.exception(path + " must be an absolute URI, e.g. "
          + "https://example.edu/achievements/1.");
    }
  }
}
