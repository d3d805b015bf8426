package com.learncoin.gateway.auth;

import com.learncoin.gateway.net.Cidr;
import java.util.List;

/** What a request's API key tells the chain: whose it is, which network, and its limits. */
public record ApiKey(
    String id,
    String tenantId,
    Plan plan,
    String environment,
    boolean revoked,
    List<Cidr> ipAllowlist) {

  public boolean isLive() {
    return "live".equals(environment);
  }
}
