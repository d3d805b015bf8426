package com.learncoin.gateway.issuance;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A batch that passed validation: the network it goes to, its issuer, its credentials. */
public record BatchRequest(String network, String issuer, List<JsonObject> credentials) {}
