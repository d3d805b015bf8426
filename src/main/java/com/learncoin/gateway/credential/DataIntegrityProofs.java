package com.learncoin.gateway.credential;

import com.apicatalog.jsonld.JsonLdError;
import com.learncoin.gateway.signing.Signer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * W3C Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (vc-di-eddsa §3.3): the signature
 * covers SHA-256(canonical proof configuration) || SHA-256(canonical document), both canonicalized
 * with RDFC-1.0. Build one instance and share it: it loads the bundled contexts once, its only
 * state is thread-safe caches, and any number of worker threads may sign and verify at once.
 */
public final class DataIntegrityProofs {
  static final String TYPE = "DataIntegrityProof";
  static final String CRYPTOSUITE = "eddsa-rdfc-2022";
  /** The proof purpose of an issuer's proof. */
  public static final String ASSERTION = "assertionMethod";
  /** The proof purpose of a holder's proof on a presentation. */
  public static final String AUTHENTICATION = "authentication";
  static final String PURPOSE = ASSERTION;
  private static final String DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2";
  private static final int SIGNATURE_LENGTH = 64;

  /** The outcome of {@link #verify}; {@code reason} says why not, or "ok". */
  public record Verification(boolean verified, String reason) {
    static Verification ok() {
      return new Verification(true, "ok");
    }

    static Verification failed(String reason) {
      return new Verification(false, reason);
    }
  }

  private final Canonicalizer canonicalizer;
  private final ProofHashes hashes;
  private final VerifyLimits limits;

  /** Verifies without bounds: for documents we made (tests, tools). */
  public DataIntegrityProofs() {
    this(VerifyLimits.NONE);
  }

  /**
   * {@code limits} bound {@link #verify}, {@link #statements} and {@link #checkSignable}; signing
   * never takes them.
   */
  public DataIntegrityProofs(VerifyLimits limits) {
    this.canonicalizer = new Canonicalizer(BundledContexts.load());
    this.hashes = new ProofHashes(canonicalizer);
    this.limits = limits;
  }

  /**
   * What the proof of {@code signed} signs about it: the RDF statements of the document without
   * its proof, by the full JSON-LD path (bundled contexts only).
   *
   * @throws VerifyLimitException past the statement or blank-node bound
   * @throws IllegalArgumentException when it is not JSON-LD we process (the reason)
   */
  public RdfStatements statements(JsonObject signed) {
    JsonObject document = signed.copy();
    document.remove("proof");
    try {
      RdfStatements statements = canonicalizer.statements(document);
      limits.checkSize("credential", statements);
      return statements;
    } catch (JsonLdError e) {
      throw new IllegalArgumentException(rootMessage(e), e);
    }
  }

  /**
   * Whether a document from outside (VC API issuance) can be signed: canonicalized by the full
   * JSON-LD path in safe mode, within the verification bounds, as its verifiers will.
   *
   * @throws VerifyLimitException past a bound (size, canonicalization steps or time)
   * @throws IllegalArgumentException what a verifier would refuse or drop (the reason)
   */
  public void checkSignable(JsonObject unsigned) {
    if (!declaresProofTerms(unsigned.getValue("@context"))) {
      throw new IllegalArgumentException("@context must include "
          + OpenBadgeCredentials.VC_V2_CONTEXT + " (it defines DataIntegrityProof)");
    }
    try {
      canonicalizer.canonicalize(unsigned, limits.start().on("credential"));
    } catch (JsonLdError e) {
      throw new IllegalArgumentException(rootMessage(e), e);
    }
  }

  /**
   * A copy of {@code unsigned} with a "proof". Blocks on {@code signer} (KMS), so call it on a
   * worker; a signer outage surfaces as its SignerUnavailableException.
   */
  public JsonObject sign(JsonObject unsigned, Signer signer, String verificationMethod,
      Instant created) {
    if (unsigned.containsKey("proof")) {
      throw new IllegalArgumentException("the document already has a proof");
    }
    JsonObject proof = createProof(unsigned, new JsonObject()
        .put("type", TYPE)
        .put("cryptosuite", CRYPTOSUITE)
        .put("created",
            DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(ChronoUnit.SECONDS)))
        .put("verificationMethod", verificationMethod)
        .put("proofPurpose", PURPOSE), signer);
    // A proof set of one: 1EdTech's Open Badges 3.0 schema requires "proof" to be an array.
    return unsigned.copy().put("proof", new JsonArray().add(proof));
  }

  /**
   * The proof {@code options} (type, cryptosuite, verificationMethod, proofPurpose, and any of
   * created, challenge, domain, id, previousProof) completed with its proofValue over
   * {@code document}, which may carry the proofs a chained proof names (see {@link ProofSets}).
   */
  public JsonObject createProof(JsonObject document, JsonObject options, Signer signer) {
    if (!declaresProofTerms(document.getValue("@context"))) {
      throw new IllegalArgumentException("@context must include "
          + OpenBadgeCredentials.VC_V2_CONTEXT + " or " + DATA_INTEGRITY_V2
          + " (they define DataIntegrityProof)");
    }
    byte[] hashData;
    try {
      hashData = hashes.hashData(document, options, canonicalizer.canonicalize(document), null);
    } catch (JsonLdError e) {
      throw new IllegalArgumentException("cannot canonicalize the document: " + rootMessage(e), e);
    }
    return options.copy().put("proofValue", Multibase.encodeBase58btc(signer.sign(hashData)));
  }

  /** See {@link ProofOptions#onlyProof}. */
  public static JsonObject onlyProof(JsonObject signed) {
    return ProofOptions.onlyProof(signed);
  }

  /**
   * Checks the one eddsa-rdfc-2022 proof (purpose assertionMethod) of {@code signed} against a
   * raw Ed25519 public key.
   *
   * @throws VerifyLimitException when the document or its proof is past a {@link VerifyLimits}
   *     bound (canonicalization stopped there)
   */
  public Verification verify(JsonObject signed, byte[] publicKey) {
    JsonObject proof = onlyProof(signed);
    if (proof == null) {
      return Verification.failed(signed.containsKey("proof")
          ? "proof must be one JSON object, or an array of one" : "the document has no proof");
    }
    JsonObject document = signed.copy();
    document.remove("proof");
    return verifyProof(document, proof, publicKey, PURPOSE);
  }

  /**
   * Checks one proof of a proof set or chain against a raw Ed25519 public key: {@code document}
   * is what it signs ({@link ProofSets.Signed#document}), {@code purpose} the proofPurpose it
   * must have.
   *
   * @throws VerifyLimitException past a {@link VerifyLimits} bound
   */
  public Verification verifyProof(JsonObject document, JsonObject proof, byte[] publicKey,
      String purpose) {
    String problem = ProofOptions.problem(proof, publicKey, purpose);
    if (problem != null) {
      return Verification.failed(problem);
    }
    byte[] signature;
    try {
      signature = Multibase.decodeBase58btc(String.valueOf(proof.getValue("proofValue")));
    } catch (IllegalArgumentException e) {
      return Verification.failed("proofValue is not multibase base58btc: " + e.getMessage());
    }
    if (signature.length != SIGNATURE_LENGTH || publicKey == null || publicKey.length != 32) {
      return Verification.failed(signature.length != SIGNATURE_LENGTH
          ? "proofValue is not a 64-byte Ed25519 signature" : "the public key is not 32 bytes");
    }
    JsonObject config = proof.copy();
    config.remove("proofValue");
    config.remove("@context");
    byte[] hashData;
    try {
      // A document from outside never takes the fast path: only the full JSON-LD processing
      // decides what a crafted document means, the template is for what we built ourselves.
      VerifyLimits.Budget budget = limits.start();
      String canonical = canonicalizer.canonicalize(document, budget.on("credential"));
      hashData = hashes.hashData(document, config, canonical, budget.on("credential.proof"));
    } catch (VerifyLimitException e) {
      throw e;
    } catch (JsonLdError | RuntimeException e) {
      return Verification.failed("canonicalization failed: " + rootMessage(e));
    }
    if (!Ed25519.verify(signature, 0, publicKey, 0, hashData, 0, hashData.length)) {
      return Verification.failed("signature does not match: the document or proof was altered, "
          + "or it was signed by another key");
    }
    return Verification.ok();
  }

  /** titanium wraps the useful message ("... is not bundled") in generic ones. */
  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : error.toString();
  }

  private static boolean declaresProofTerms(Object context) {
    if (context instanceof String url) {
      return url.equals(OpenBadgeCredentials.VC_V2_CONTEXT) || url.equals(DATA_INTEGRITY_V2);
    }
    return context instanceof JsonArray urls && (urls.contains(OpenBadgeCredentials.VC_V2_CONTEXT)
        || urls.contains(DATA_INTEGRITY_V2));
  }
}
