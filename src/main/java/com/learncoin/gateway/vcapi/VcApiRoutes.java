package com.learncoin.gateway.vcapi;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.credential.OpenBadgeCredentials;
import com.learncoin.gateway.credential.VcDataModel;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.ApiException;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.idempotency.Mention;
import com.learncoin.gateway.issuance.VcApiIssuance;
import com.learncoin.gateway.issuance.VcApiRequest;
import com.learncoin.gateway.lifecycle.CredentialStore;
import com.learncoin.gateway.resilience.DependencyBreaker;
import com.learncoin.gateway.verification.Verifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The W3C CCG VC API: {@code POST /credentials/issue} (a batch of one, signed by the worker while
 * the request waits), and the verifier routes on the engine of {@code POST /v1/verify},
 * {@code POST /credentials/verify} and {@code POST /presentations/verify}. A malformed body is our
 * error envelope; a credential or presentation that does not verify is the VC API's 400 result.
 */
public final class VcApiRoutes {
  private final Verifier verifier;
  private final VcApiIssuance issuance;
  private final DependencyBreaker signer;

  public VcApiRoutes(Verifier verifier, VcApiIssuance issuance, DependencyBreaker signer) {
    this.verifier = verifier;
    this.issuance = issuance;
    this.signer = signer;
  }

  /**
   * {@code {"credential", "options"}} → 201 {@code {"verifiableCredential"}} with
   * {@code Location: /v1/credentials/{id}}. Stored but not signed in time (signer down, long
   * queue): 422 signing_key_unavailable with that Location; it completes by itself.
   */
  public void issue(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    VcApiRequest request = VcApiRequest.parse(ctx.body().buffer());
    issuance.submit(key, request, ctx.request().getHeader("Idempotency-Key"))
        .onFailure(ctx::fail)
        .onSuccess(stored -> {
          String id = stored.credentialId();
          ctx.response().putHeader("Location", "/v1/credentials/" + id);
          if (signer.isOpen()) {
            ctx.fail(pending(id, "the signing key is unavailable right now"));
            return;
          }
          issuance.signed(stored).onFailure(ctx::fail).onSuccess(vc -> {
            if (vc == null) {
              ctx.fail(pending(id, "it was not signed within " + VcApiIssuance.WAIT_MILLIS / 1000
                  + " s (the signing key is unavailable or the queue is long)"));
              return;
            }
            // The answer shows the credential: stored for replay only while it is not erased.
            ctx.put(Ctx.ANSWER_MENTIONS, new Mention(id, tx -> CredentialStore.lockUnerased(tx, id)));
            Responses.json(ctx, 201, new JsonObject().put("verifiableCredential", vc));
          });
        });
  }

  private static ApiException pending(String id, String why) {
    return ApiError.SIGNING_KEY_UNAVAILABLE.exception("Credential " + id + " was stored and "
        + "queued, but " + why + "; it will be signed automatically. Do not resend it; follow it "
        + "at /v1/credentials/" + id + ".");
  }

  /** {@code {"verifiableCredential", "options": {"checks": [...]}}}. */
  public void verifyCredential(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    JsonObject credential = requiredObject(body, "verifiableCredential");
    JsonObject options = optionalObject(body, "options");
    List<String> requested = checks(options.getValue("checks"));
    String dataModel = VcDataModel.problem(credential);
    verifier.verify(credential, null).onFailure(ctx::fail).onSuccess(report -> {
      JsonObject result = VcApiResults.credential(report, dataModel);
      if (requested != null) {
        result.put("checks", new JsonArray(result.getJsonArray("checks").stream()
            .filter(requested::contains).toList()));
      }
      VcApiResults.answer(ctx, result, "verifiableCredential");
    });
  }

  /** {@code {"verifiablePresentation", "options": {"challenge", "domain"}}}. */
  public void verifyPresentation(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    JsonObject vp = requiredObject(body, "verifiablePresentation");
    JsonObject options = optionalObject(body, "options");
    String challenge = optionalString(options, "challenge");
    String domain = optionalString(options, "domain");
    String dataModel = presentationProblem(vp);
    verifier.verifyPresentation(vp, challenge, domain).onFailure(ctx::fail).onSuccess(engine -> {
      JsonArray reports = engine.getJsonArray("credentials");
      List<Object> presented = vp.getValue("verifiableCredential") instanceof JsonArray list
          ? list.stream().toList() : vp.getValue("verifiableCredential") == null ? List.of()
          : List.of(vp.getValue("verifiableCredential"));
      List<JsonObject> results = new ArrayList<>();
      for (int i = 0; i < reports.size(); i++) {
        results.add(VcApiResults.credential(reports.getJsonObject(i),
            VcDataModel.problem((JsonObject) presented.get(i))));
      }
      VcApiResults.answer(ctx, VcApiResults.presentation(engine, dataModel, challenge != null,
          results), "verifiablePresentation");
    });
  }

  /** The presentation's VC Data Model requirements (VC 2.0 §4.13; VC 1.1 alike). */
  private static String presentationProblem(JsonObject vp) {
    Object context = vp.getValue("@context");
    Object first = context instanceof JsonArray list && !list.isEmpty() ? list.getValue(0) : context;
    if (!OpenBadgeCredentials.VC_V2_CONTEXT.equals(first) && !VcDataModel.VC_V1_CONTEXT.equals(first)) {
      return "@context must be an array whose first item is " + OpenBadgeCredentials.VC_V2_CONTEXT
          + " (or " + VcDataModel.VC_V1_CONTEXT + ")";
    }
    Object type = vp.getValue("type");
    if (!("VerifiablePresentation".equals(type) || type instanceof JsonArray types
        && types.contains("VerifiablePresentation"))) {
      return "type must include VerifiablePresentation";
    }
    Object holder = vp.getValue("holder");
    Object holderId = holder instanceof JsonObject object ? object.getValue("id") : holder;
    if (holder != null && !(holderId instanceof String id && id.contains(":"))) {
      return "holder must be a URL (or an object whose id is one)";
    }
    return null;
  }

  private static List<String> checks(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray list)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("options.checks must be an array of check "
          + "names: " + VcApiResults.CHECKS + ".");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!VcApiResults.CHECKS.contains(list.getValue(i))) {
        throw ApiError.INVALID_FIELD_FORMAT.exception("options.checks[" + i + "] must be one of "
            + VcApiResults.CHECKS + ".");
      }
    }
    return list.stream().map(String.class::cast).toList();
  }

  static JsonObject requiredObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception(field + " is required.");
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception(field + " must be a JSON object.");
    }
    return object;
  }

  static JsonObject optionalObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception(field + " must be a JSON object.");
    }
    return value == null ? new JsonObject() : (JsonObject) value;
  }

  private static String optionalString(JsonObject options, String field) {
    Object value = options.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("options." + field + " must be a string.");
    }
    return (String) value;
  }
}
