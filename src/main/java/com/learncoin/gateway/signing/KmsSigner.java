package com.learncoin.gateway.signing;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.PublicKey;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signs with an {@code EC_SIGN_ED25519} key version in Cloud KMS. Every exchange carries the
 * CRC32C integrity fields Google recommends, and every signature is also verified locally against
 * the public key fetched at construction, so a corrupted or misrouted answer never reaches a
 * credential. Blocking (network I/O): call from worker threads only.
 */
public final class KmsSigner implements Signer {
  private final KeyManagementServiceClient client;
  private final String keyVersionName;
  private final byte[] publicKey;

  /**
   * Fetches the public key once. Blocking.
   *
   * @throws SignerUnavailableException if KMS cannot be reached or its answer fails the integrity
   *     checks
   * @throws IllegalStateException if the key version is not an Ed25519 signing key
   */
  public KmsSigner(KeyManagementServiceClient client, String keyVersionName) {
    this.client = Objects.requireNonNull(client, "client");
    this.keyVersionName = Objects.requireNonNull(keyVersionName, "keyVersionName");
    this.publicKey = fetchPublicKey();
  }

  private byte[] fetchPublicKey() {
    PublicKey key = KmsCalls.publicKey(client, keyVersionName,
        CryptoKeyVersionAlgorithm.EC_SIGN_ED25519, "credential proofs",
        SignerUnavailableException::new);
    return Ed25519Pem.rawPublicKey(key.getPem(), keyVersionName);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] sign(byte[] data) {
    // Ed25519 signs the message itself (PureEdDSA), so the request carries data, not a digest.
    AsymmetricSignRequest request = AsymmetricSignRequest.newBuilder()
        .setName(keyVersionName)
        .setData(ByteString.copyFrom(data))
        .setDataCrc32C(Int64Value.of(KmsCalls.crc32c(data)))
        .build();
    AsymmetricSignResponse response;
    try {
      response = client.asymmetricSignCallable().call(request, KmsCalls.CALL);
    } catch (ApiException e) {
      throw unavailable("AsymmetricSign", e);
    }
    return checked(response, data);
  }

  private byte[] checked(AsymmetricSignResponse response, byte[] data) {
    String problem = KmsCalls.signatureProblem(response, keyVersionName,
        response.getVerifiedDataCrc32C(), "data_crc32c");
    if (problem != null) {
      throw integrity(problem);
    }
    byte[] signature = response.getSignature().toByteArray();
    if (signature.length != Ed25519.SIGNATURE_SIZE
        || !Ed25519.verify(signature, 0, publicKey, 0, data, 0, data.length)) {
      throw integrity("the signature does not verify against the key version's public key");
    }
    return signature;
  }

  @Override
  public String describe() {
    return keyVersionName;
  }

  // The status code says what went wrong; the request (credential data) stays out of the message.
  private SignerUnavailableException unavailable(String rpc, ApiException e) {
    return new SignerUnavailableException("Cloud KMS " + rpc + " on " + keyVersionName
        + " failed: " + e.getStatusCode().getCode(), e);
  }

  private SignerUnavailableException integrity(String problem) {
    return new SignerUnavailableException(KmsCalls.integrity(keyVersionName, problem), null);
  }
}
