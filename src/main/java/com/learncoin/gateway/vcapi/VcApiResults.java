package com.learncoin.gateway.vcapi;

import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.Responses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The VC API's verification results, from the engine's reports (verification.Verifier): the
 * checks that passed, warnings (checks that could not run), errors, and, for each error, an RFC
 * 9457 problem detail typed as the VC Data Model and Data Integrity specifications name it.
 * Verified is 200; not verified is 400 with the same body plus our error envelope's "error".
 */
final class VcApiResults {
  /** The checks of a credential, in the order they are reported. */
  static final List<String> CHECKS = List.of("dataModel", "proof", "status", "expiry");
  private static final String VC_DM = "https://www.w3.org/TR/vc-data-model#";
  private static final String SECURITY = "https://w3id.org/security#";

  private VcApiResults() {}

  /** A credential's result; {@code dataModel} is its first VC Data Model problem, or null. */
  static JsonObject credential(JsonObject report, String dataModel) {
    JsonObject checks = report.getJsonObject("checks").copy();
    checks.remove("anchor"); // the VC API has no receipts: always skipped, never reported
    JsonObject all = new JsonObject().put("dataModel", dataModel == null
        ? check("passed", "the credential meets the VC Data Model's requirements")
        : check("failed", dataModel));
    checks.forEach(e -> all.put(e.getKey(), e.getValue()));
    return result(all, "");
  }

  /** A presentation's result: its own checks, then each credential's. */
  static JsonObject presentation(JsonObject engine, String dataModel, boolean challengeGiven,
      List<JsonObject> credentialResults) {
    JsonObject own = new JsonObject().put("dataModel", dataModel == null
        ? check("passed", "the presentation meets the VC Data Model's requirements")
        : check("failed", dataModel)).put("proof", engine.getJsonObject("proof"));
    JsonObject result = result(own, "");
    JsonObject presentationResult = result.copy();
    presentationResult.remove("problemDetails");
    if (!challengeGiven && "passed".equals(engine.getJsonObject("proof").getString("status"))) {
      result.getJsonArray("warnings").add("proof: no options.challenge was given, so the "
          + "presentation may be a replay of one made for someone else");
    }
    JsonArray credentials = new JsonArray();
    for (int i = 0; i < credentialResults.size(); i++) {
      JsonObject one = credentialResults.get(i);
      credentials.add(one);
      if (!one.getBoolean("verified")) {
        String at = "verifiableCredential[" + i + "]";
        result.put("verified", false);
        one.getJsonArray("errors").forEach(e -> result.getJsonArray("errors").add(at + "." + e));
        one.getJsonArray("problemDetails").forEach(p -> result.getJsonArray("problemDetails")
            .add(((JsonObject) p).copy().put("detail", at + ": "
                + ((JsonObject) p).getString("detail"))));
      }
    }
    return result.put("presentationResult", presentationResult)
        .put("credentialResults", credentials);
  }

  /** 200 when verified; else 400, the result plus the envelope's error naming {@code field}. */
  static void answer(RoutingContext ctx, JsonObject result, String field) {
    if (result.getBoolean("verified")) {
      Responses.json(ctx, 200, result);
      return;
    }
    JsonArray errors = result.getJsonArray("errors");
    ctx.put(Ctx.ERROR_CODE, ApiError.INVALID_FIELD_FORMAT.code());
    Responses.json(ctx, 400, result.copy().put("error", new JsonObject()
        .put("code", ApiError.INVALID_FIELD_FORMAT.code())
        .put("message", field + " did not verify: " + (errors.isEmpty() ? "see problemDetails"
            : errors.getString(0)) + ".")
        .put("request_id", ctx.get(Ctx.REQUEST_ID))));
  }

  private static JsonObject result(JsonObject checks, String prefix) {
    JsonArray passed = new JsonArray();
    JsonArray warnings = new JsonArray();
    JsonArray errors = new JsonArray();
    JsonArray problems = new JsonArray();
    checks.forEach(e -> {
      JsonObject check = (JsonObject) e.getValue();
      String reason = check.getString("reason");
      switch (check.getString("status")) {
        case "passed" -> passed.add(e.getKey());
        case "skipped" -> warnings.add(prefix + e.getKey() + " not checked: " + reason);
        default -> {
          errors.add(prefix + e.getKey() + ": " + reason);
          problems.add(problem(e.getKey(), reason));
        }
      }
    });
    return new JsonObject().put("verified", errors.isEmpty()).put("checks", passed)
        .put("warnings", warnings).put("errors", errors).put("problemDetails", problems);
  }

  /** The specification's problem type for a failed check. */
  private static JsonObject problem(String check, String reason) {
    String title = switch (check) {
      case "dataModel" -> "MALFORMED_VALUE_ERROR";
      case "status" -> "STATUS_VERIFICATION_ERROR";
      case "expiry" -> "RANGE_ERROR";
      default -> reason.startsWith("INVALID_CHALLENGE_ERROR") ? "INVALID_CHALLENGE_ERROR"
          : reason.startsWith("INVALID_DOMAIN_ERROR") ? "INVALID_DOMAIN_ERROR"
          : "PROOF_VERIFICATION_ERROR";
    };
    String base = switch (title) {
      case "MALFORMED_VALUE_ERROR", "RANGE_ERROR" -> VC_DM;
      case "STATUS_VERIFICATION_ERROR" -> "https://www.w3.org/ns/credentials/status#";
      default -> SECURITY;
    };
    return new JsonObject().put("type", base + title).put("title", title)
        .put("detail", check + ": " + reason);
  }

  private static JsonObject check(String status, String reason) {
    return new JsonObject().put("status", status).put("reason", reason);
  }
}
