package com.learncoin.gateway.http;

/** Every error code of the public contract (API.md §1); the code fixes the HTTP status. */
public enum ApiError {
  INVALID_JSON(400),
  MISSING_REQUIRED_FIELD(400),
  INVALID_FIELD_FORMAT(400),
  RECIPIENT_ID_INVALID(400),
  ACHIEVEMENT_TOO_LARGE(400),
  BATCH_TOO_LARGE(400),
  ALIGNMENT_FRAMEWORK_UNKNOWN(400),
  API_KEY_MISSING(401),
  API_KEY_INVALID(401),
  API_KEY_REVOKED(401),
  IP_NOT_ALLOWED(401),
  ADMIN_TOKEN_INVALID(401),
  ENVIRONMENT_MISMATCH(403),
  TIER_REQUIRED(403),
  ISSUER_NOT_VERIFIED(403),
  CREDENTIAL_NOT_OWNED(403),
  BATCH_NOT_FOUND(404),
  CREDENTIAL_NOT_FOUND(404),
  WEBHOOK_NOT_FOUND(404),
  TENANT_NOT_FOUND(404),
  ROUTE_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  IDEMPOTENCY_KEY_REUSED(409),
  CREDENTIAL_ALREADY_REVOKED(409),
  CREDENTIAL_ALREADY_ERASED(409),
  ISSUER_DID_TAKEN(409),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  MONTHLY_QUOTA_EXCEEDED(422),
  SIGNING_KEY_UNAVAILABLE(422),
  ANCHORING_CHAIN_UNAVAILABLE(422),
  RATE_LIMITED(429),
  INTERNAL_ERROR(500),
  SERVICE_UNAVAILABLE(503);

  private final int status;

  ApiError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public ApiException exception(String message) {
    return new ApiException(this, message);
  }
}
