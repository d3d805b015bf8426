package com.learncoin.gateway.identity;

import com.learncoin.gateway.common.Timestamps;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.signing.Signer;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** One of a tenant's signing keys, ready to sign: its own did:key, and its place in a did:web. */
public record TenantKey(String id, String tenantId, String environment, String status,
    byte[] publicKey, Signer signer, OffsetDateTime createdAt, OffsetDateTime rotatedAt,
    OffsetDateTime retiredAt) {

  public static final String ACTIVE = "active";
  public static final String ROTATED = "rotated";
  public static final String RETIRED = "retired";

  public String didKey() {
    return DidKey.fromEd25519(publicKey);
  }

  public String publicKeyMultibase() {
    return DidKey.publicKeyMultibase(publicKey);
  }

  /** The issuer a credential signed with this key names: {@code customIssuer}, or the did:key. */
  public String issuer(String customIssuer) {
    return customIssuer != null ? customIssuer : didKey();
  }

  /** The proof's verificationMethod: {@code did:web:…#z6Mk…}, or the did:key's own method. */
  public String verificationMethod(String customIssuer) {
    return customIssuer != null ? customIssuer + "#" + publicKeyMultibase()
        : DidKey.verificationMethod(publicKey);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("object", "signing_key")
        .put("tenant_id", tenantId)
        .put("environment", environment)
        .put("status", status)
        .put("did_key", didKey())
        .put("public_key_multibase", publicKeyMultibase())
        .put("created_at", Timestamps.rfc3339(createdAt))
        .put("rotated_at", Timestamps.rfc3339(rotatedAt))
        .put("retired_at", Timestamps.rfc3339(retiredAt));
  }
}
