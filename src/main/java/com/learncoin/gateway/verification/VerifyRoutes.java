package com.learncoin.gateway.verification;

import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/verify}. Body: {@code {"credential": <the signed VC>, "anchor": <its receipt,
 * optional>}}, the two fields exactly as {@code GET /v1/credentials/{id}} returns them. The anchor
 * leaf is the SHA-256 of the credential's compact JSON, so the credential must be sent unchanged
 * (same members, same order). A malformed body, or a credential past a verification bound, is a
 * 400; everything else is the {@link Verifier}'s 200 report.
 */
public final class VerifyRoutes {
  private final Verifier verifier;

  public VerifyRoutes(Verifier verifier) {
    this.verifier = verifier;
  }

  public void verify(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    Object value = body.getValue("credential");
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("credential is required: send "
          + "{\"credential\": <the signed VC>, \"anchor\": <its receipt, optional>}.");
    }
    if (!(value instanceof JsonObject credential)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("credential must be a JSON object (the signed "
          + "verifiable credential).");
    }
    VerifyReceipt receipt = VerifyReceipt.parse(body.getValue("anchor"));
    verifier.verify(credential, receipt).onFailure(ctx::fail)
        .onSuccess(report -> Responses.json(ctx, 200, report));
  }
}
