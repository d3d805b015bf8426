package com.learncoin.gateway.issuance;

import com.learncoin.gateway.anchoring.AnchorReceipt;
import com.learncoin.gateway.anchoring.MerkleTree;
import com.learncoin.gateway.anchoring.Networks;
import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.DidKey;
import com.learncoin.gateway.credential.StatusListCredentials;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.JsonBodies;
import com.learncoin.gateway.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/verify}: checks a credential, ours or anyone's signed with eddsa-rdfc-2022 by a
 * did:key (or by the did:web custom issuer of one of our tenants), and reports each check.
 *
 * <p>Body: {@code {"credential": <the signed VC>, "anchor": <its receipt, optional>}}, the two
 * fields exactly as {@code GET /v1/credentials/{id}} returns them. The anchor leaf is the SHA-256
 * of the credential's compact JSON, so the credential must be sent unchanged (same members, same
 * order); re-serialised or pretty-printed-and-reordered credentials fail the anchor check.
 *
 * <p>Four checks, each {@code passed}, {@code failed} or {@code skipped}, each with a reason:
 * <ul>
 *   <li>proof: the Data Integrity proof over the RDFC-1.0 canonical form;</li>
 *   <li>status: the revocation bit, for credentials whose status list is ours (read from the
 *       database); other lists are skipped;</li>
 *   <li>anchor: Merkle inclusion of the credential's hash under the root that the receipt's
 *       transaction carries, read from the chain (never from our database); skipped without a
 *       receipt;</li>
 *   <li>expiry: validFrom (or issuanceDate) not in the future, validUntil (or expirationDate), if
 *       any, in the future.</li>
 * </ul>
 * {@code verified} is true when no check that ran failed. A malformed body is a 400; a credential
 * that is well-formed JSON but wrong in any way is a 200 report, never an error.
 */
public final class VerifyRoutes {
  static final String PASSED = "passed";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";

  private static final String CUSTOM_ISSUER = "SELECT 1 FROM tenants WHERE issuer_did = $1 LIMIT 1";
  private static final String LIST = "SELECT 1 FROM status_lists WHERE id = $1";
  private static final String REVOKED = """
      SELECT 1 FROM credentials
       WHERE status_list_id = $1 AND status_index = $2 AND revoked_at IS NOT NULL""";
  private static final Pattern LIST_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private final Vertx vertx;
  private final Pool pool;
  private final Issuance issuance;

  public VerifyRoutes(Vertx vertx, Pool pool, Issuance issuance) {
    this.vertx = vertx;
    this.pool = pool;
    this.issuance = issuance;
  }

  public void verify(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx.body().buffer());
    Object value = body.getValue("credential");
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("credential is required: send "
          + "{\"credential\": <the signed VC>, \"anchor\": <its receipt, optional>}.");
    }
    if (!(value instanceof JsonObject credential)) {
      throw ApiError.INVALID_FIELD_FORMAT.exception("credential must be a JSON object (the signed "
          + "verifiable credential).");
    }
    VerifyReceipt receipt = VerifyReceipt.parse(body.getValue("anchor"));
    Instant now = Instant.now();

    Future<VerifyCheck> proof = proof(credential).recover(e -> Future.succeededFuture(
        VerifyCheck.failed("the proof could not be checked: " + e.getMessage())));
    Future<VerifyCheck> status = status(credential);
    Future<VerifyCheck> anchor = receipt == null
        ? Future.succeededFuture(VerifyCheck.skipped("no anchor receipt was given (send the credential's "
            + "\"anchor\" from GET /v1/credentials/{id} to check it)"))
        : anchor(credential, receipt);
    VerifyCheck expiry = VerifyCheck.expiry(credential, now);

    Future.all(proof, status, anchor).onFailure(ctx::fail).onSuccess(done -> {
      List<VerifyCheck> all = List.of(proof.result(), status.result(), anchor.result(), expiry);
      boolean verified = all.stream().noneMatch(c -> FAILED.equals(c.status()));
      Responses.json(ctx, 200, new JsonObject()
          .put("object", "verification")
          .put("verified", verified)
          .put("checks", new JsonObject()
              .put("proof", proof.result().toJson())
              .put("status", status.result().toJson())
              .put("anchor", anchor.result().toJson())
              .put("expiry", expiry.toJson())));
    });
  }

  // ---- proof --------------------------------------------------------------------------------

  private Future<VerifyCheck> proof(JsonObject credential) {
    if (!(credential.getValue("proof") instanceof JsonObject proof)) {
      return Future.succeededFuture(VerifyCheck.failed(credential.containsKey("proof")
          ? "proof must be a single JSON object" : "the credential has no proof"));
    }
    if (!(proof.getValue("verificationMethod") instanceof String method)) {
      return Future.succeededFuture(VerifyCheck.failed("proof has no verificationMethod"));
    }
    int hash = method.indexOf('#');
    String did = hash < 0 ? method : method.substring(0, hash);
    String issuer = issuerId(credential.getValue("issuer"));
    if (issuer == null) {
      return Future.succeededFuture(VerifyCheck.failed("the credential has no issuer id"));
    }
    if (!issuer.equals(did)) {
      return Future.succeededFuture(VerifyCheck.failed("verificationMethod " + method
          + " does not belong to the issuer " + issuer));
    }
    Future<byte[]> key;
    if (method.startsWith("did:key:")) {
      try {
        key = Future.succeededFuture(DidKey.publicKeyOf(method));
      } catch (IllegalArgumentException e) {
        return Future.succeededFuture(VerifyCheck.failed("verificationMethod: " + e.getMessage()));
      }
    } else if (method.startsWith("did:web:")) {
      key = customIssuerKey(did, hash < 0 ? "" : method.substring(hash + 1));
    } else {
      return Future.succeededFuture(VerifyCheck.failed("unsupported verification method " + method
          + ": only did:key and our tenants' did:web issuers can be resolved"));
    }
    return key.compose(publicKey -> {
      if (publicKey == null) {
        return Future.succeededFuture(VerifyCheck.failed("unknown did:web: " + did
            + " is not the custom issuer of any tenant of this gateway, or " + method
            + " is not its key"));
      }
      DataIntegrityProofs proofs = issuance.proofs();
      return vertx.executeBlocking(() -> proofs.verify(credential, publicKey), false)
          .map(v -> v.verified()
              ? VerifyCheck.passed("eddsa-rdfc-2022 signature by " + method + " is valid")
              : VerifyCheck.failed(v.reason()));
    });
  }

  /** The signer's key when {@code did} is a tenant's custom issuer and the fragment names it. */
  private Future<byte[]> customIssuerKey(String did, String fragment) {
    return pool.preparedQuery(CUSTOM_ISSUER).execute(Tuple.of(did)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      return vertx.executeBlocking(() -> {
        byte[] key = issuance.signer().publicKey();
        return DidKey.publicKeyMultibase(key).equals(fragment) ? key : null;
      }, false);
    });
  }

  private static String issuerId(Object issuer) {
    if (issuer instanceof String id) {
      return id;
    }
    if (issuer instanceof JsonObject object && object.getValue("id") instanceof String id) {
      return id;
    }
    return null;
  }

  // ---- status -------------------------------------------------------------------------------

  private Future<VerifyCheck> status(JsonObject credential) {
    Object value = credential.getValue("credentialStatus");
    if (value == null) {
      return Future.succeededFuture(VerifyCheck.skipped("the credential has no credentialStatus"));
    }
    List<?> entries = value instanceof JsonArray array ? array.getList() : List.of(value);
    String ourListPrefix = issuance.publicBaseUrl().get() + "/status/";
    JsonObject ours = null;
    for (Object entry : entries) {
      if (!(entry instanceof JsonObject object)) {
        return Future.succeededFuture(VerifyCheck.failed("credentialStatus must be an object or an "
            + "array of objects"));
      }
      if (object.getValue("statusListCredential") instanceof String url
          && url.startsWith(ourListPrefix)) {
        ours = ours == null ? object : ours;
      }
    }
    if (ours == null) {
      return Future.succeededFuture(VerifyCheck.skipped("not our status list: only lists under "
          + ourListPrefix + " are checked"));
    }
    String url = ours.getString("statusListCredential");
    String listId = url.substring(ourListPrefix.length());
    if (!LIST_ID.matcher(listId).matches()) {
      return Future.succeededFuture(VerifyCheck.failed("no status list " + url + " at this gateway"));
    }
    if (!"revocation".equals(ours.getValue("statusPurpose"))) {
      return Future.succeededFuture(VerifyCheck.failed("statusPurpose must be revocation, not "
          + ours.getValue("statusPurpose")));
    }
    Object rawIndex = ours.getValue("statusListIndex");
    int index;
    try {
      index = Integer.parseInt(String.valueOf(rawIndex));
    } catch (NumberFormatException e) {
      index = -1;
    }
    if (index < 0 || index >= StatusListCredentials.SIZE) {
      return Future.succeededFuture(VerifyCheck.failed("statusListIndex must be an integer from 0 to "
          + (StatusListCredentials.SIZE - 1) + ", not " + rawIndex));
    }
    int bit = index;
    return pool.preparedQuery(LIST).execute(Tuple.of(listId)).compose(lists -> {
      if (lists.size() == 0) {
        return Future.succeededFuture(VerifyCheck.failed("no status list " + url + " at this gateway"));
      }
      return pool.preparedQuery(REVOKED).execute(Tuple.of(listId, bit)).map(rows ->
          rows.size() == 0
              ? VerifyCheck.passed("bit " + bit + " of " + url + " is not set: not revoked")
              : VerifyCheck.failed("revoked: bit " + bit + " of " + url + " is set"));
    });
  }

  // ---- anchor -------------------------------------------------------------------------------

  private Future<VerifyCheck> anchor(JsonObject credential, VerifyReceipt receipt) {
    byte[] leaf = MerkleTree.sha256(credential.encode().getBytes(StandardCharsets.UTF_8));
    if (receipt.leaf() != null && !MessageDigest.isEqual(leaf, receipt.leaf())) {
      return Future.succeededFuture(VerifyCheck.failed("the receipt's leaf " + MerkleTree.hex(receipt.leaf())
          + " is not the SHA-256 of this credential (" + MerkleTree.hex(leaf) + "); send the "
          + "credential exactly as GET /v1/credentials/{id} returns it"));
    }
    Optional<Networks.Network> network = issuance.networks().byName().values().stream()
        .filter(n -> n.chainId() == receipt.chainId()).findFirst();
    if (network.isEmpty()) {
      return Future.succeededFuture(VerifyCheck.failed("chain id " + receipt.chainId()
          + " is not a chain this gateway reads"));
    }
    var client = network.get().client();
    String tx = receipt.txHash();
    return vertx.executeBlocking(() -> {
      byte[] onChain;
      Optional<AnchorReceipt> mined;
      try {
        onChain = client.transactionInput(tx);
        mined = client.receipt(tx);
      } catch (NoSuchElementException e) {
        return VerifyCheck.failed("transaction " + tx + " is not on chain " + receipt.chainId());
      } catch (RuntimeException e) {
        // ChainUnavailableException, a node on another chain id, or an answer we cannot read.
        return VerifyCheck.failed("the chain could not be read, so the anchor is unconfirmed (try "
            + "again later): " + e.getMessage());
      }
      if (mined.isEmpty()) {
        return VerifyCheck.failed("transaction " + tx + " is not mined yet");
      }
      if (!mined.get().success()) {
        return VerifyCheck.failed("transaction " + tx + " was reverted");
      }
      if (receipt.blockNumber() != null && receipt.blockNumber() != mined.get().blockNumber()) {
        return VerifyCheck.failed("transaction " + tx + " is in block " + mined.get().blockNumber()
            + ", not " + receipt.blockNumber());
      }
      if (onChain.length != 32) {
        return VerifyCheck.failed("transaction " + tx + " does not carry a 32-byte Merkle root");
      }
      String root = MerkleTree.hex(onChain);
      if (receipt.merkleRoot() != null && !MessageDigest.isEqual(onChain, receipt.merkleRoot())) {
        return VerifyCheck.failed("the receipt's merkle_root is not the root " + root
            + " carried by transaction " + tx);
      }
      return MerkleTree.verify(leaf, receipt.path(), onChain)
          ? VerifyCheck.passed("the credential's hash " + MerkleTree.hex(leaf) + " is under root " + root
              + " of transaction " + tx + " (block " + mined.get().blockNumber() + ")")
          : VerifyCheck.failed("the path does not lead from the credential's hash "
              + MerkleTree.hex(leaf) + " to the root " + root + " of transaction " + tx);
    }, false);
  }
}
