package com.learncoin.gateway.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Whether a published DID document gives a key to its DID for issuing credentials. */
final class DidDocumentCheck {
  private DidDocumentCheck() {}

  /**
   * Null when {@code document} is {@code did}'s and lists the key {@code multibase} as a Multikey
   * (or Ed25519VerificationKey2020) controlled by {@code did} and referenced by assertionMethod;
   * otherwise what is missing, for the tenant to fix.
   */
  static String problem(JsonObject document, String did, String multibase) {
    if (!did.equals(document.getValue("id"))) {
      return "the document's id is " + document.getValue("id") + ", not " + did;
    }
    String methodId = null;
    if (document.getValue("verificationMethod") instanceof JsonArray methods) {
      for (Object entry : methods) {
        if (entry instanceof JsonObject method && listsKey(method, did, multibase)) {
          methodId = method.getString("id");
        }
      }
    }
    if (methodId == null) {
      return "the document has no verificationMethod with publicKeyMultibase " + multibase
          + " controlled by " + did + " (publish the did_document this API answered)";
    }
    if (!(document.getValue("assertionMethod") instanceof JsonArray assertion)
        || !references(assertion, methodId)) {
      return "assertionMethod does not list " + methodId;
    }
    return null;
  }

  private static boolean listsKey(JsonObject method, String did, String multibase) {
    Object type = method.getValue("type");
    return multibase.equals(method.getValue("publicKeyMultibase"))
        && did.equals(method.getValue("controller"))
        && method.getValue("id") instanceof String id && id.startsWith(did + "#")
        && ("Multikey".equals(type) || "Ed25519VerificationKey2020".equals(type));
  }

  private static boolean references(JsonArray assertion, String methodId) {
    for (Object entry : assertion) {
      if (methodId.equals(entry)
          || entry instanceof JsonObject embedded && methodId.equals(embedded.getValue("id"))) {
        return true;
      }
    }
    return false;
  }
}
