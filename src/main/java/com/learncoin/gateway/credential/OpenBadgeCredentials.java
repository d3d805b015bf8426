package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Turns one validated batch credential (see issuance.CredentialRules) into an unsigned Open Badges
 * 3.0 OpenBadgeCredential. Every emitted term is defined by the VC 2.0 or OB 3.0.3 context: the
 * eddsa-rdfc-2022 canonicalization runs in safe mode and rejects anything it would drop.
 */
public final class OpenBadgeCredentials {
  public static final String VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
  public static final String OB_V3_CONTEXT =
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

  /** The issuing profile: a DID (did:key of the signing key, or the tenant's did:web), a name. */
  public record Issuer(String id, String name) {}

  private OpenBadgeCredentials() {}

  /**
   * The unsigned credential. The recipient appears only as its urn:uuid: their name and email stay
   * out of a document that is shared, anchored and cannot be recalled.
   */
  public static JsonObject build(JsonObject input, Issuer issuer, String credentialId,
      JsonObject credentialStatus) {
    JsonObject achievement = input.getJsonObject("achievement");
    JsonObject credential = new JsonObject()
        .put("@context", new JsonArray().add(VC_V2_CONTEXT).add(OB_V3_CONTEXT))
        .put("id", credentialId)
        .put("type", new JsonArray().add("VerifiableCredential").add("OpenBadgeCredential"))
        .put("issuer", new JsonObject()
            .put("id", issuer.id())
            .put("type", new JsonArray().add("Profile"))
            .put("name", issuer.name()))
        .put("validFrom", dateTimeStamp(input.getString("issuanceDate")));
    if (input.getString("expirationDate") != null) {
      credential.put("validUntil", dateTimeStamp(input.getString("expirationDate")));
    }
    credential
        .put("name", achievement.getString("name"))
        .put("credentialSubject", new JsonObject()
            .put("id", input.getJsonObject("recipient").getString("id"))
            .put("type", new JsonArray().add("AchievementSubject"))
            .put("achievement", achievement(achievement, credentialId)));
    if (credentialStatus != null) {
      credential.put("credentialStatus", credentialStatus.copy());
    }
    return credential;
  }

  private static JsonObject achievement(JsonObject input, String credentialId) {
    String id = input.getString("id");
    JsonObject criteria = input.getJsonObject("criteria");
    JsonObject criteriaOut = new JsonObject();
    copyIfPresent(criteria, criteriaOut, "id");
    copyIfPresent(criteria, criteriaOut, "narrative");
    JsonObject out = new JsonObject()
        .put("id", id != null ? id : derivedAchievementId(credentialId))
        .put("type", new JsonArray().add("Achievement"))
        .put("name", input.getString("name"))
        .put("description", input.getString("description"))
        .put("criteria", criteriaOut);
    JsonArray alignments = input.getJsonArray("alignment");
    if (alignments != null && !alignments.isEmpty()) {
      JsonArray alignmentOut = new JsonArray();
      for (int i = 0; i < alignments.size(); i++) {
        alignmentOut.add(alignment(alignments.getJsonObject(i)));
      }
      out.put("alignment", alignmentOut);
    }
    return out;
  }

  private static JsonObject alignment(JsonObject input) {
    JsonObject out = new JsonObject()
        .put("type", new JsonArray().add("Alignment"))
        .put("targetName", input.getString("targetName"))
        .put("targetUrl", input.getString("targetUrl"))
        .put("targetFramework", input.getString("targetFramework"));
    copyIfPresent(input, out, "targetCode");
    copyIfPresent(input, out, "targetDescription");
    return out;
  }

  /**
   * OB 3.0 requires an achievement id; when the issuer gave none, a name-based UUID of the
   * credential id keeps it stable across re-signing without storing anything more.
   */
  static String derivedAchievementId(String credentialId) {
    byte[] seed = ("learncoin:achievement:" + credentialId).getBytes(StandardCharsets.UTF_8);
    return "urn:uuid:" + UUID.nameUUIDFromBytes(seed);
  }

  /**
   * validFrom/validUntil are xsd:dateTimeStamp; ISO 8601 input may omit seconds ("10:00Z"), which
   * verifiers reject, so the instant is re-printed in UTC with seconds.
   */
  static String dateTimeStamp(String isoOffsetDateTime) {
    // A batch's credentials mostly share their dates: reuse this thread's last conversion.
    String[] last = LAST_STAMP.get();
    if (isoOffsetDateTime.equals(last[0])) {
      return last[1];
    }
    String stamp = DateTimeFormatter.ISO_INSTANT.format(
        OffsetDateTime.parse(isoOffsetDateTime, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    last[0] = isoOffsetDateTime;
    last[1] = stamp;
    return stamp;
  }

  private static final ThreadLocal<String[]> LAST_STAMP = ThreadLocal.withInitial(() -> new String[2]);

  private static void copyIfPresent(JsonObject from, JsonObject to, String field) {
    Object value = from.getValue(field);
    if (value != null) {
      to.put(field, value);
    }
  }
}
