package com.learncoin.gateway.credential;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * did:key identifiers for Ed25519 keys (multicodec 0xed01, base58btc, so always "did:key:z6Mk..."),
 * and the DID document of a key under any DID, as did:key resolvers and did:web hosting expect it.
 */
public final class DidKey {
  static final String DID_CONTEXT = "https://www.w3.org/ns/did/v1";
  static final String MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1";
  private static final String PREFIX = "did:key:";
  private static final byte[] ED25519_PUB = {(byte) 0xed, 0x01};
  private static final int KEY_LENGTH = 32;

  private DidKey() {}

  /** "did:key:z6Mk..." for a raw 32-byte Ed25519 public key. */
  public static String fromEd25519(byte[] publicKey) {
    return PREFIX + publicKeyMultibase(publicKey);
  }

  /** "did:key:z6Mk...#z6Mk...": the key's verification method inside its own DID document. */
  public static String verificationMethod(byte[] publicKey) {
    String multibase = publicKeyMultibase(publicKey);
    return PREFIX + multibase + "#" + multibase;
  }

  /** The Multikey form of the key: "z6Mk..." (multicodec ed25519-pub, base58btc). */
  public static String publicKeyMultibase(byte[] publicKey) {
    if (publicKey == null || publicKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    byte[] prefixed = new byte[ED25519_PUB.length + KEY_LENGTH];
    System.arraycopy(ED25519_PUB, 0, prefixed, 0, ED25519_PUB.length);
    System.arraycopy(publicKey, 0, prefixed, ED25519_PUB.length, KEY_LENGTH);
    return Multibase.encodeBase58btc(prefixed);
  }

  /** The raw Ed25519 key of a did:key DID or of its verification method ("did:key:z..#z.."). */
  public static byte[] publicKeyOf(String didOrVerificationMethod) {
    if (didOrVerificationMethod == null || !didOrVerificationMethod.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a did:key: " + didOrVerificationMethod);
    }
    String rest = didOrVerificationMethod.substring(PREFIX.length());
    int hash = rest.indexOf('#');
    String multibase = hash < 0 ? rest : rest.substring(0, hash);
    if (hash >= 0 && !rest.substring(hash + 1).equals(multibase)) {
      throw new IllegalArgumentException("the fragment of a did:key verification method must "
          + "repeat the key: " + didOrVerificationMethod);
    }
    byte[] decoded;
    try {
      decoded = Multibase.decodeBase58btc(multibase);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed did:key: " + e.getMessage(), e);
    }
    if (decoded.length != ED25519_PUB.length + KEY_LENGTH || decoded[0] != ED25519_PUB[0]
        || decoded[1] != ED25519_PUB[1]) {
      throw new IllegalArgumentException("did:key is not an Ed25519 key: "
          + didOrVerificationMethod);
    }
    return Arrays.copyOfRange(decoded, ED25519_PUB.length, decoded.length);
  }

  /** The DID document of {@code did} with {@code publicKey} as its one key. */
  public static JsonObject didDocument(String did, byte[] publicKey) {
    return didDocument(did, List.of(publicKey));
  }

  /**
   * The DID document of {@code did} with each of {@code publicKeys} as a Multikey verification
   * method, shaped like @digitalbazaar/did-method-key's (so verifiers find the keys under
   * assertionMethod). Works for did:web too: a method id is the DID plus "#" and the key's
   * multibase.
   */
  public static JsonObject didDocument(String did, List<byte[]> publicKeys) {
    if (did == null || !did.startsWith("did:") || did.indexOf('#') >= 0) {
      throw new IllegalArgumentException("not a DID (without fragment): " + did);
    }
    JsonArray methods = new JsonArray();
    JsonArray ids = new JsonArray();
    for (byte[] publicKey : publicKeys) {
      String multibase = publicKeyMultibase(publicKey);
      methods.add(new JsonObject()
          .put("id", did + "#" + multibase)
          .put("type", "Multikey")
          .put("controller", did)
          .put("publicKeyMultibase", multibase));
      ids.add(did + "#" + multibase);
    }
    return new JsonObject()
        .put("@context", new JsonArray().add(DID_CONTEXT).add(MULTIKEY_CONTEXT))
        .put("id", did)
        .put("verificationMethod", methods)
        .put("authentication", ids.copy())
        .put("assertionMethod", ids.copy())
        .put("capabilityDelegation", ids.copy())
        .put("capabilityInvocation", ids.copy());
  }
}
