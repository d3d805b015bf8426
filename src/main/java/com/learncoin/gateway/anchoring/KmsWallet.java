package com.learncoin.gateway.anchoring;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.Digest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.PublicKey;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import com.learncoin.gateway.signing.KmsCalls;
import java.math.BigInteger;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * The chain wallet in Cloud KMS: an {@code EC_SIGN_SECP256K1_SHA256} key version. KMS signs
 * whatever 32-byte digest it is given, so the transaction's keccak256 hash goes in
 * {@code digest.sha256} (the field name only says which length KMS expects). KMS answers a DER
 * ECDSA signature with no recovery id and either s; Ethereum wants low s and v, found here by
 * recovering the key, which also proves the signature is the wallet's. Every exchange carries the
 * CRC32C integrity fields. Blocking (network I/O): worker threads only.
 */
public final class KmsWallet implements WalletSigner {
  private static final int HASH_BYTES = 32;

  private final KeyManagementServiceClient client;
  private final String keyVersionName;
  /** As web3j holds public keys: the 64 bytes X ‖ Y as an unsigned number. */
  private final BigInteger publicKey;
  private final String address;

  /**
   * Fetches the public key once and derives the address from it. Blocking.
   *
   * @throws ChainUnavailableException if KMS cannot be reached or its answer fails the integrity
   *     checks
   * @throws IllegalStateException if the key version is not a secp256k1 signing key
   */
  public KmsWallet(KeyManagementServiceClient client, String keyVersionName) {
    this.client = Objects.requireNonNull(client, "client");
    this.keyVersionName = Objects.requireNonNull(keyVersionName, "keyVersionName");
    this.publicKey = fetchPublicKey();
    this.address = Numeric.prependHexPrefix(Keys.getAddress(publicKey));
  }

  private BigInteger fetchPublicKey() {
    PublicKey key = KmsCalls.publicKey(client, keyVersionName,
        CryptoKeyVersionAlgorithm.EC_SIGN_SECP256K1_SHA256, "the chain wallet",
        (message, cause) -> new ChainUnavailableException("the wallet's " + message, cause));
    return Secp256k1Der.publicKey(key.getPem(), keyVersionName);
  }

  @Override
  public String address() {
    return address;
  }

  /** The key version this wallet signs with, for logs and messages. */
  public String keyVersionName() {
    return keyVersionName;
  }

  @Override
  public Sign.SignatureData sign(byte[] keccakHash) {
    if (keccakHash == null || keccakHash.length != HASH_BYTES) {
      throw new IllegalArgumentException("a keccak256 hash is 32 bytes");
    }
    AsymmetricSignRequest request = AsymmetricSignRequest.newBuilder()
        .setName(keyVersionName)
        .setDigest(Digest.newBuilder().setSha256(ByteString.copyFrom(keccakHash)))
        .setDigestCrc32C(Int64Value.of(KmsCalls.crc32c(keccakHash)))
        .build();
    AsymmetricSignResponse response;
    try {
      response = client.asymmetricSignCallable().call(request, KmsCalls.CALL);
    } catch (ApiException e) {
      throw unavailable("AsymmetricSign", e);
    }
    return ethereumSignature(checked(response), keccakHash);
  }

  private byte[] checked(AsymmetricSignResponse response) {
    String problem = KmsCalls.signatureProblem(response, keyVersionName,
        response.getVerifiedDigestCrc32C(), "digest_crc32c");
    if (problem != null) {
      throw integrity(problem);
    }
    return response.getSignature().toByteArray();
  }

  /**
   * (r, s) with s folded into the lower half (EIP-2: nodes refuse high s; both verify), and the
   * recovery id under which the hash and signature give back this wallet's key. Typed
   * transactions carry only y parity 0 or 1; ids 2 and 3 (the nonce point's x was at least n,
   * odds about 2^-128) cannot be sent, so such a signature fails like a bad one and the worker's
   * next attempt signs anew.
   */
  private Sign.SignatureData ethereumSignature(byte[] der, byte[] hash) {
    ECDSASignature signature;
    try {
      signature = Secp256k1Der.signature(der).toCanonicalised();
    } catch (IllegalArgumentException e) {
      throw integrity("the signature is not a DER ECDSA signature on secp256k1: " + e.getMessage());
    }
    for (int recId = 0; recId < 2; recId++) {
      if (publicKey.equals(recover(recId, signature, hash))) {
        return new Sign.SignatureData((byte) (Sign.LOWER_REAL_V + recId),
            Numeric.toBytesPadded(signature.r, 32), Numeric.toBytesPadded(signature.s, 32));
      }
    }
    throw integrity("the signature does not verify against the key version's public key");
  }

  /** The key that signed, or null; an r that is no point's x is a bad signature, not a bug. */
  private static BigInteger recover(int recId, ECDSASignature signature, byte[] hash) {
    try {
      return Sign.recoverFromSignature(recId, signature, hash);
    } catch (IllegalArgumentException noSuchPoint) {
      return null;
    }
  }

  // The status code says what went wrong; the hash being signed stays out of the message.
  private ChainUnavailableException unavailable(String rpc, ApiException e) {
    return new ChainUnavailableException("the wallet's Cloud KMS " + rpc + " on " + keyVersionName
        + " failed: " + e.getStatusCode().getCode(), e);
  }

  private ChainUnavailableException integrity(String problem) {
    return new ChainUnavailableException(KmsCalls.integrity(keyVersionName, problem));
  }
}
