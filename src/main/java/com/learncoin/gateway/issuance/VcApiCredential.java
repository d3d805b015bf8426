package com.learncoin.gateway.issuance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A credential given to {@code POST /credentials/issue}, as a batch stores it and the worker
 * signs it: the caller's document, unchanged but for its issuer (filled in when absent; the
 * tenant's DID of the key the batch is pinned to, so always the signer) and, when asked for, a
 * BitstringStatusListEntry at the batch's status list slot.
 */
final class VcApiCredential {
  /** The member of a stored input that marks it as a VC API credential. */
  static final String INPUT = "vc_api";

  private VcApiCredential() {}

  /** The stored input: the document, whether to add a status entry, the subject as recipient. */
  static JsonObject input(JsonObject credential, boolean status) {
    JsonObject recipient = new JsonObject();
    Object subject = credential.getValue("credentialSubject");
    if (subject instanceof JsonArray subjects && !subjects.isEmpty()) {
      subject = subjects.getValue(0);
    }
    // The subject's id is the learner's identifier: erasure removes it, as a recipient id.
    if (subject instanceof JsonObject one && one.getValue("id") instanceof String id) {
      recipient.put("id", id);
    }
    return new JsonObject().put("recipient", recipient)
        .put(INPUT, new JsonObject().put("credential", credential).put("status", status));
  }

  static boolean isVcApi(JsonObject input) {
    return input.getValue(INPUT) instanceof JsonObject;
  }

  /** The unsigned document: issuer set to {@code issuerId}, the status entry added if asked. */
  static JsonObject build(JsonObject input, String issuerId, JsonObject statusEntry) {
    JsonObject stored = input.getJsonObject(INPUT);
    JsonObject credential = stored.getJsonObject("credential").copy();
    if (credential.getValue("issuer") instanceof JsonObject issuer) {
      issuer.put("id", issuerId);
    } else {
      credential.put("issuer", issuerId);
    }
    if (stored.getBoolean("status", false)) {
      credential.put("credentialStatus", statusEntry.copy());
    }
    return credential;
  }
}
