package com.learncoin.gateway.signing;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import java.nio.charset.StandardCharsets;

/**
 * Tenants' seeds sealed by a Cloud KMS symmetric key ({@code ENCRYPT_DECRYPT}): Encrypt at key
 * creation, Decrypt when a node first opens the key; the key id is the additional authenticated
 * data. Every exchange carries and checks the CRC32C integrity fields. An outage is a
 * SignerUnavailableException, like the signer's.
 */
public final class KmsKeyEncryption implements KeyEncryptionKey {
  private final KeyManagementServiceClient client;
  private final String cryptoKey;

  /** {@code cryptoKey}: {@code projects/…/locations/…/keyRings/…/cryptoKeys/…}. */
  public KmsKeyEncryption(KeyManagementServiceClient client, String cryptoKey) {
    this.client = client;
    this.cryptoKey = cryptoKey;
  }

  @Override
  public byte[] seal(byte[] seed, String keyId) {
    byte[] aad = keyId.getBytes(StandardCharsets.UTF_8);
    EncryptResponse response;
    try {
      response = client.encryptCallable().call(EncryptRequest.newBuilder()
          .setName(cryptoKey)
          .setPlaintext(ByteString.copyFrom(seed))
          .setPlaintextCrc32C(Int64Value.of(KmsCalls.crc32c(seed)))
          .setAdditionalAuthenticatedData(ByteString.copyFrom(aad))
          .setAdditionalAuthenticatedDataCrc32C(Int64Value.of(KmsCalls.crc32c(aad)))
          .build(), KmsCalls.CALL);
    } catch (ApiException e) {
      throw unavailable("Encrypt", e);
    }
    byte[] ciphertext = response.getCiphertext().toByteArray();
    if (!response.getVerifiedPlaintextCrc32C() || !response.getVerifiedAdditionalAuthenticatedDataCrc32C()
        || !response.hasCiphertextCrc32C()
        || response.getCiphertextCrc32C().getValue() != KmsCalls.crc32c(ciphertext)) {
      throw integrity("Encrypt");
    }
    return ciphertext;
  }

  @Override
  public byte[] open(byte[] sealed, String keyId) {
    byte[] aad = keyId.getBytes(StandardCharsets.UTF_8);
    DecryptResponse response;
    try {
      response = client.decryptCallable().call(DecryptRequest.newBuilder()
          .setName(cryptoKey)
          .setCiphertext(ByteString.copyFrom(sealed))
          .setCiphertextCrc32C(Int64Value.of(KmsCalls.crc32c(sealed)))
          .setAdditionalAuthenticatedData(ByteString.copyFrom(aad))
          .setAdditionalAuthenticatedDataCrc32C(Int64Value.of(KmsCalls.crc32c(aad)))
          .build(), KmsCalls.CALL);
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() == StatusCode.Code.INVALID_ARGUMENT) {
        // Another key's row, or another crypto key's ciphertext: never sign with it.
        throw new IllegalStateException("cannot open the sealed key " + keyId + " with "
            + cryptoKey + ": " + e.getMessage(), e);
      }
      throw unavailable("Decrypt", e);
    }
    byte[] seed = response.getPlaintext().toByteArray();
    if (!response.hasPlaintextCrc32C()
        || response.getPlaintextCrc32C().getValue() != KmsCalls.crc32c(seed)) {
      throw integrity("Decrypt");
    }
    return seed;
  }

  private SignerUnavailableException unavailable(String rpc, ApiException e) {
    return new SignerUnavailableException("Cloud KMS " + rpc + " with " + cryptoKey + " failed: "
        + e.getStatusCode().getCode(), e);
  }

  private SignerUnavailableException integrity(String rpc) {
    return new SignerUnavailableException(KmsCalls.integrity(cryptoKey, rpc
        + " answered with CRC32C fields that do not match: the exchange was corrupted"), null);
  }
}
