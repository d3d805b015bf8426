package com.learncoin.gateway.lifecycle;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import com.learncoin.gateway.idempotency.Mention;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * What an issuer does after issuing. Revoke sets the credential's bit in its status list (the
 * signed list is re-signed on its next read); pending credentials can be revoked too, and
 * anchoring later does not bring them back. Erase (GDPR) removes the learner's personal data
 * everywhere it is kept, leaves a tombstone whose leaf still anchors the batch's other receipts,
 * and revokes the credential for good.
 */
public final class LifecycleRoutes {
  private static final int MAX_REASON = 500;

  private final CredentialStore credentials;

  public LifecycleRoutes(CredentialStore credentials) {
    this.credentials = credentials;
  }

  public void revoke(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    String reason = reason(JsonBodies.objectOrEmpty(ctx.body().buffer()));
    String id = ctx.pathParam("id");
    credentials.revoke(key, id, reason).onFailure(ctx::fail).onSuccess(credential -> {
      // The answer shows the learner: stored for replay only while the credential is not erased.
      ctx.put(Ctx.ANSWER_MENTIONS, new Mention(id, tx -> CredentialStore.lockUnerased(tx, id)));
      Responses.json(ctx, 200, credential);
    });
  }

  public void erase(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    credentials.erase(key, ctx.pathParam("id"))
        .onFailure(ctx::fail).onSuccess(credential -> Responses.json(ctx, 200, credential));
  }

  private static String reason(JsonObject body) {
    Object reason = body.getValue("reason");
    if (reason == null) {
      return null;
    }
    if (!(reason instanceof String text) || text.length() > MAX_REASON) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("reason must be a string of at most "
          + MAX_REASON + " characters.");
    }
    return text;
  }
}
