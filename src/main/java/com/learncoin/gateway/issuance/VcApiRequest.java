package com.learncoin.gateway.issuance;

import com.learncoin.gateway.credential.OpenBadgeCredentials;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.JsonBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The body of {@code POST /credentials/issue}, checked for shape: {@code {"credential": {...},
 * "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}, "credentialId": "..."}}}.
 * The credential is a VC 2.0 document without a proof; the deeper checks are
 * {@link VcApiIssuance#submit}'s.
 */
public record VcApiRequest(JsonObject credential, boolean status) {
  private static final Set<String> OPTIONS = Set.of("credentialStatus", "credentialId");
  private static final Set<String> STATUS_OPTIONS = Set.of("type", "statusPurpose");

  public static VcApiRequest parse(Buffer body) {
    JsonObject request = JsonBodies.object(body);
    Object value = request.getValue("credential");
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("credential is required: send "
          + "{\"credential\": <the unsigned VC 2.0 credential>, \"options\": {...}}.");
    }
    if (!(value instanceof JsonObject credential)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("credential must be a JSON object.");
    }
    Object optionsValue = request.getValue("options");
    if (optionsValue != null && !(optionsValue instanceof JsonObject)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("options must be a JSON object.");
    }
    JsonObject options = optionsValue == null ? new JsonObject() : (JsonObject) optionsValue;
    for (String name : options.fieldNames()) {
      if (!OPTIONS.contains(name)) {
        throw ApiError.INVALID_FIELD_FORMAT.exception("options." + name + " is not supported"
            + (name.equals("mandatoryPointers") ? " (eddsa-rdfc-2022 proofs disclose the whole "
                + "credential; there is no selective disclosure)" : "") + "; options may hold "
            + OPTIONS + ".");
      }
    }
    if (options.getValue("credentialId") != null && !(options.getValue("credentialId") instanceof String)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("options.credentialId must be a string.");
    }
    boolean status = status(options.getValue("credentialStatus"));
    Object context = credential.getValue("@context");
    Object first = context instanceof JsonArray list && !list.isEmpty() ? list.getValue(0) : context;
    if (!OpenBadgeCredentials.VC_V2_CONTEXT.equals(first)) {
      throw (context == null ? ApiError.MISSING_REQUIRED_FIELD : ApiError.INVALID_FIELD_FORMAT)
          .exception("credential.@context must be an array whose first item is "
              + OpenBadgeCredentials.VC_V2_CONTEXT + ": this route issues VC 2.0 credentials.");
    }
    if (credential.containsKey("proof")) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("credential must not have a proof: this route "
          + "adds one (send the credential unsigned).");
    }
    if (status && credential.containsKey("credentialStatus")) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("credential.credentialStatus is already set: "
          + "leave it out, or do not ask for options.credentialStatus.");
    }
    return new VcApiRequest(credential, status);
  }

  /** Whether options.credentialStatus asks for our Bitstring Status List entry. */
  private static boolean status(Object value) {
    if (value == null) {
      return false;
    }
    if (!(value instanceof JsonObject wanted) || !"BitstringStatusListEntry".equals(wanted.getValue("type"))
        || !STATUS_OPTIONS.containsAll(wanted.fieldNames())
        || wanted.getValue("statusPurpose") != null && !"revocation".equals(wanted.getValue("statusPurpose"))) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("options.credentialStatus must be {\"type\": "
          + "\"BitstringStatusListEntry\"} (statusPurpose, if given, \"revocation\"): the only "
          + "status this gateway keeps.");
    }
    return true;
  }

  /** An issuer's id, given as a string or as an object's "id"; null otherwise. */
  static String issuerId(Object issuer) {
    if (issuer instanceof String id) {
      return id;
    }
    return issuer instanceof JsonObject object && object.getValue("id") instanceof String id
        ? id : null;
  }
}
