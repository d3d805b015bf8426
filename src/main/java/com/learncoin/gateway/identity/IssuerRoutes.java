package com.learncoin.gateway.identity;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.Ctx;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * A tenant's custom did:web issuer (API.md §5), live keys of institution and industry tenants only:
 * {@code PUT /v1/issuer {"did"}} claims it and answers the DID document to publish (the tenant's
 * live keys as Multikey verification methods); {@code POST /v1/issuer/verify} fetches the
 * published document and activates the DID when it lists the tenant's key; {@code GET /v1/issuer}
 * shows the state.
 *
 * <p>Checks, first failure wins: the body (400 {@code missing_required_field} /
 * {@code invalid_field_format}, naming {@code did}), then the plan (403 {@code tier_required} on
 * starter), then the key's environment (403 {@code environment_mismatch} for a test key). The same
 * order as batch intake (API.md §5: validation, then tier, then environment).
 */
public final class IssuerRoutes {
  private static final int MAX_LENGTH = 2048;
  /** An RFC 1123 host name label: letters, digits, inner hyphens, 1 to 63 characters. */
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  /** A did:web path segment: DID idchars (ALPHA / DIGIT / "." / "-" / "_") or percent-encodings. */
  private static final Pattern SEGMENT = Pattern.compile("(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private final Issuers issuers;

  public IssuerRoutes(Issuers issuers) {
    this.issuers = issuers;
  }

  public void put(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    Object value = body.getValue("did");
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("did is required: the tenant's did:web DID, "
          + "e.g. did:web:school.example.");
    }
    if (!(value instanceof String did) || !isDidWeb(did)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("did must be a did:web DID with a valid host, "
          + "an optional port (%3A) and optional path, e.g. did:web:school.example or "
          + "did:web:school.example%3A8443:credentials.");
    }
    liveAndPlan(key, "PUT /v1/issuer");
    issuers.claim(key.tenantId(), did).onFailure(ctx::fail)
        .onSuccess(issuer -> Responses.json(ctx, 200, issuer));
  }

  public void verify(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    liveAndPlan(key, "POST /v1/issuer/verify");
    issuers.verify(key.tenantId()).onFailure(ctx::fail)
        .onSuccess(issuer -> Responses.json(ctx, 200, issuer));
  }

  public void get(RoutingContext ctx) {
    ApiKey key = ctx.get(Ctx.API_KEY);
    issuers.get(key.tenantId()).onFailure(ctx::fail)
        .onSuccess(issuer -> Responses.json(ctx, 200, issuer));
  }

  private static void liveAndPlan(ApiKey key, String route) {
    if (!key.plan().allowsCustomIssuerDid()) {
      throw ApiError.TIER_REQUIRED.exception("A custom issuer DID needs the institution or industry "
          + "plan; this tenant is on " + key.plan().id() + ".");
    }
    if (!key.isLive()) {
      throw ApiError.ENVIRONMENT_MISMATCH.exception(route + " needs a lrn_live_ key; this "
          + "request used a " + key.environment() + " key.");
    }
  }

  /**
   * {@code did:web:<host>[%3A<port>][:<segment>]*} per the did:web method: the host is a DNS name
   * (RFC 1123 labels, not an IP address), the port 1 to 65535 percent-encoded after {@code %3A}, each
   * path segment non-empty. No fragment, query or trailing colon.
   */
  public static boolean isDidWeb(String did) {
    if (did.length() > MAX_LENGTH || !did.startsWith("did:web:")) {
      return false;
    }
    String[] parts = did.substring("did:web:".length()).split(":", -1);
    String authority = parts[0];
    int percent = authority.indexOf('%');
    String host = percent < 0 ? authority : authority.substring(0, percent);
    if (percent >= 0) {
      String rest = authority.substring(percent);
      if (rest.length() < 4 || !rest.substring(0, 3).equalsIgnoreCase("%3A")
          || !PORT.matcher(rest.substring(3)).matches()) {
        return false;
      }
      int port = Integer.parseInt(rest.substring(3));
      if (port < 1 || port > 65_535) {
        return false;
      }
    }
    if (!isHostName(host)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      if (!SEGMENT.matcher(parts[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHostName(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // A top-level label is never all digits: that is an IPv4 address, which did:web excludes.
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }
}
