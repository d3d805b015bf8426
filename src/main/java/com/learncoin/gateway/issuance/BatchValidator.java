package com.learncoin.gateway.issuance;

import static com.learncoin.gateway.http.ApiError.BATCH_TOO_LARGE;
import static com.learncoin.gateway.http.ApiError.ENVIRONMENT_MISMATCH;
import static com.learncoin.gateway.http.ApiError.INVALID_FIELD_FORMAT;
import static com.learncoin.gateway.http.ApiError.MISSING_REQUIRED_FIELD;
import static com.learncoin.gateway.http.ApiError.TIER_REQUIRED;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.http.JsonBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validation table of API.md §5, in its order: the first failure wins and its message names
 * the JSON path. The per-credential field rules live in {@link CredentialRules}.
 */
public final class BatchValidator {
  public static final int MAX_CREDENTIALS = 500;
  static final Set<String> NETWORKS = Set.of("base-sepolia", "base");
  private static final Pattern DID_WEB = Pattern.compile("did:web:[A-Za-z0-9.%:_-]{1,253}");

  private BatchValidator() {}

  public static BatchRequest validate(Buffer body, ApiKey key) {
    JsonObject batch = JsonBodies.object(body);
    Object credentials = batch.getValue("credentials");
    if (credentials == null) {
      throw MISSING_REQUIRED_FIELD.exception("credentials is required: an array of 1 to "
          + MAX_CREDENTIALS + " credentials.");
    }
    if (!(credentials instanceof JsonArray list)) {
      throw INVALID_FIELD_FORMAT.exception("credentials must be an array.");
    }
    if (list.isEmpty()) {
      throw MISSING_REQUIRED_FIELD.exception("credentials must hold at least one credential.");
    }
    if (list.size() > MAX_CREDENTIALS) {
      throw BATCH_TOO_LARGE.exception("credentials holds " + list.size() + " credentials; a batch "
          + "holds at most " + MAX_CREDENTIALS + ".");
    }
    List<JsonObject> checked = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      checked.add(CredentialRules.check(list.getValue(i), "credentials[" + i + "]"));
    }
    String network = network(batch.getValue("network"), key);
    String issuer = issuer(batch.getValue("issuer"));
    if (issuer != null && !key.plan().allowsCustomIssuerDid()) {
      throw TIER_REQUIRED.exception("issuer (a custom issuer DID) needs the institution or "
          + "industry plan; this tenant is on " + key.plan().id() + ".");
    }
    boolean mainnet = network.equals("base");
    if (mainnet != key.isLive()) {
      throw ENVIRONMENT_MISMATCH.exception("network '" + network + "' needs a "
          + (mainnet ? "lrn_live_" : "lrn_test_") + " key; this request used a "
          + key.environment() + " key.");
    }
    // A did:web lists the tenant's live keys (PUT /v1/issuer is live only): test credentials name
    // the tenant's test did:key.
    if (issuer != null && !key.isLive()) {
      throw ENVIRONMENT_MISMATCH.exception("issuer (a custom issuer DID) needs a lrn_live_ key; "
          + "test batches are issued by the tenant's test did:key.");
    }
    return new BatchRequest(network, issuer, checked);
  }

  private static String network(Object value, ApiKey key) {
    if (value == null) {
      return key.isLive() ? "base" : "base-sepolia";
    }
    if (!(value instanceof String name) || !NETWORKS.contains(name)) {
      throw INVALID_FIELD_FORMAT.exception("network must be 'base-sepolia' or 'base'.");
    }
    return name;
  }

  /**
   * A did:web, as a string or as OB 3.0 clients write it, a VC-style object {@code {"id":
   * "did:web:…", …}} whose other members (name, url, …) are not used: the issuer profile in the
   * credential is the tenant's.
   */
  private static String issuer(Object value) {
    if (value == null) {
      return null;
    }
    String field = "issuer";
    if (value instanceof JsonObject object) {
      value = object.getValue("id");
      field = "issuer.id";
    }
    if (!(value instanceof String did) || !DID_WEB.matcher(did).matches()) {
      throw INVALID_FIELD_FORMAT.exception(field + " must be a did:web DID, e.g. "
          + "did:web:school.example" + (field.equals("issuer") ? " (or an object with that id)"
          : "") + ".");
    }
    return did;
  }

}
