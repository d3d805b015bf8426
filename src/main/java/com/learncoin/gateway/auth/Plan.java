package com.learncoin.gateway.auth;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The plans of API.md §3 and the limits each one carries. */
public enum Plan {
  STARTER(120, 1_000, false),
  INSTITUTION(1_200, 100_000, true),
  INDUSTRY(6_000, 2_000_000, true);

  private final int requestsPerMinute;
  private final int credentialsPerMonth;
  private final boolean customIssuerDid;

  Plan(int requestsPerMinute, int credentialsPerMonth, boolean customIssuerDid) {
    this.requestsPerMinute = requestsPerMinute;
    this.credentialsPerMonth = credentialsPerMonth;
    this.customIssuerDid = customIssuerDid;
  }

  public static Optional<Plan> parse(String name) {
    return Arrays.stream(values()).filter(p -> p.id().equals(name)).findFirst();
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  public int credentialsPerMonth() {
    return credentialsPerMonth;
  }

  public boolean allowsCustomIssuerDid() {
    return customIssuerDid;
  }

  public JsonObject limits() {
    return new JsonObject()
        .put("requests_per_minute", requestsPerMinute)
        .put("credentials_per_month", credentialsPerMonth)
        .put("custom_issuer_did", customIssuerDid);
  }
}
