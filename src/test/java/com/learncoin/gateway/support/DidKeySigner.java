package com.learncoin.gateway.support;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.TestEd25519Signer;
import com.learncoin.gateway.signing.Signer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A throwaway did:key of a test, signing documents the way other issuers and holders do, with
 * the gateway's own Data Integrity code: assertion proofs, proof sets and chains, and a holder's
 * authentication proof on a presentation.
 */
public final class DidKeySigner implements Signer {
  public static final String VC_V2 = "https://www.w3.org/ns/credentials/v2";
  public static final String VC_V1 = "https://www.w3.org/2018/credentials/v1";
  public static final String EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2";
  public static final String DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2";
  private static final DataIntegrityProofs PROOFS = new DataIntegrityProofs();

  private final TestEd25519Signer key = TestEd25519Signer.generate();

  public String did() {
    return key.did();
  }

  public String method() {
    return key.verificationMethod();
  }

  /** A VC 2.0 credential of this issuer, unsigned: an alumni credential about a did:key subject. */
  public JsonObject credential() {
    return new JsonObject()
        .put("@context", new JsonArray().add(VC_V2).add(EXAMPLES_V2))
        .put("id", "urn:uuid:" + java.util.UUID.randomUUID())
        .put("type", new JsonArray().add("VerifiableCredential").add("AlumniCredential"))
        .put("issuer", did())
        .put("validFrom", "2024-01-01T00:00:00Z")
        .put("credentialSubject", new JsonObject()
            .put("id", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
            .put("alumniOf", "The School of Examples"));
  }

  /** {@code document} with one proof of this key (proofPurpose assertionMethod) added to its set. */
  public JsonObject sign(JsonObject document) {
    return addProof(document, new JsonObject());
  }

  /**
   * {@code document} with one more proof of this key in its proof set; {@code options} adds to or
   * overrides the proof's members (id, previousProof, proofPurpose, challenge, domain). A
   * previousProof names proofs already in the set: the new proof signs them too (a chain).
   */
  public JsonObject addProof(JsonObject document, JsonObject options) {
    JsonArray set = new JsonArray();
    Object existing = document.getValue("proof");
    if (existing instanceof JsonArray array) {
      set = array.copy();
    } else if (existing instanceof JsonObject one) {
      set.add(one.copy());
    }
    JsonObject input = document.copy();
    input.remove("proof");
    JsonObject config = new JsonObject().put("type", "DataIntegrityProof")
        .put("cryptosuite", "eddsa-rdfc-2022").put("created", Instant.now().toString()
            .replaceAll("\\.\\d+Z$", "Z"))
        .put("verificationMethod", method()).put("proofPurpose", "assertionMethod")
        .mergeIn(options);
    JsonArray previous = new JsonArray();
    Object names = config.getValue("previousProof");
    for (Object id : names instanceof JsonArray list ? list : names == null ? new JsonArray()
        : new JsonArray().add(names)) {
      for (Object proof : set) {
        if (id.equals(((JsonObject) proof).getValue("id"))) {
          previous.add(proof);
        }
      }
    }
    if (!previous.isEmpty()) {
      input.put("proof", previous);
    }
    JsonObject proof = PROOFS.createProof(input, config, this);
    JsonObject signed = document.copy();
    signed.put("proof", set.add(proof));
    return signed;
  }

  /** A holder's proof on a presentation: proofPurpose authentication, with challenge and domain. */
  public JsonObject signPresentation(JsonObject presentation, String challenge, String domain) {
    JsonObject options = new JsonObject().put("proofPurpose", "authentication");
    if (challenge != null) {
      options.put("challenge", challenge);
    }
    if (domain != null) {
      options.put("domain", domain);
    }
    return addProof(presentation, options);
  }

  @Override
  public byte[] publicKey() {
    return key.publicKey();
  }

  @Override
  public byte[] sign(byte[] data) {
    return key.sign(data);
  }

  @Override
  public String describe() {
    return "test did:key";
  }
}
