package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** A typical batch credential input, as it looks once issuance.CredentialRules accepted it. */
public final class TestCredentials {
  static final String STATUS_LIST_URL = "https://gateway.example/status/sl_test";

  private TestCredentials() {}

  static JsonObject input() {
    return new JsonObject("""
        {
          "recipient": {"id": "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21",
                        "name": "Ada Lovelace", "email": "ada@example.org"},
          "issuanceDate": "2025-01-27T10:00+02:00",
          "expirationDate": "2035-01-01T00:00:00Z",
          "achievement": {
            "id": "https://example.edu/achievements/welding-1",
            "name": "Welding Level 1",
            "description": "Welds \\"safely\\":\\n\\ttabs, é, 日本, 🎓, back\\\\slash",
            "criteria": {"narrative": "Pass the *practical* exam."},
            "alignment": [
              {"targetName": "weld metal parts",
               "targetUrl": "https://esco.ec.europa.eu/en/skill/1",
               "targetFramework": "ESCO", "targetCode": "S6.2.1"},
              {"targetName": "safety", "targetUrl": "https://example.org/skills?id=2&v=1",
               "targetFramework": "CUSTOM", "targetDescription": "Workshop safety"}
            ]
          }
        }
        """);
  }

  static OpenBadgeCredentials.Issuer issuer(TestEd25519Signer signer) {
    return new OpenBadgeCredentials.Issuer(signer.did(), "Example University");
  }

  static JsonObject unsigned(TestEd25519Signer signer, int statusIndex) {
    return OpenBadgeCredentials.build(input(), issuer(signer), "urn:uuid:" + UUID.randomUUID(),
        StatusListCredentials.entry(STATUS_LIST_URL, statusIndex));
  }

  static JsonObject signed(DataIntegrityProofs proofs, TestEd25519Signer signer, int statusIndex) {
    return proofs.sign(unsigned(signer, statusIndex), signer, signer.verificationMethod(),
        Instant.now());
  }

  /** {@code n} blank nodes each linked to every other: RDFC-1.0's worst case (n! orderings). */
  public static JsonArray blankNodeClique(int n) {
    JsonArray nodes = new JsonArray();
    for (int i = 0; i < n; i++) {
      JsonArray links = new JsonArray();
      for (int j = 0; j < n; j++) {
        if (j != i) {
          links.add(new JsonObject().put("@id", "_:b" + j));
        }
      }
      nodes.add(new JsonObject().put("@id", "_:b" + i).put("https://example.org/knows", links));
    }
    return nodes;
  }
}
