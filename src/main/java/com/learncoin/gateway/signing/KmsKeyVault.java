package com.learncoin.gateway.signing;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.kms.v1.CreateCryptoKeyRequest;
import com.google.cloud.kms.v1.CryptoKey;
import com.google.cloud.kms.v1.CryptoKey.CryptoKeyPurpose;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.CryptoKeyVersionTemplate;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.ProtectionLevel;
import java.util.Locale;

/**
 * Tenants' keys as Cloud KMS crypto keys (EC_SIGN_ED25519, HSM), one per signing key, made with
 * CreateCryptoKey in the key ring of the configured gateway key. The crypto key id is derived from
 * the signing key's id, so a retried creation finds the key it made before instead of a second.
 */
public final class KmsKeyVault implements KeyVault {
  private final KeyManagementServiceClient client;
  private final String keyRing;

  /** {@code keyRing}: {@code projects/…/locations/…/keyRings/…}. */
  public KmsKeyVault(KeyManagementServiceClient client, String keyRing) {
    this.client = client;
    this.keyRing = keyRing;
  }

  /** The key ring of a crypto key version name. */
  public static String keyRingOf(String keyVersionName) {
    int end = keyVersionName.indexOf("/cryptoKeys/");
    if (end < 0) {
      throw new IllegalArgumentException("not a crypto key version name: " + keyVersionName);
    }
    return keyVersionName.substring(0, end);
  }

  @Override
  public NewKey create(String keyId, String tenantId, String environment) {
    String cryptoKeyId = "learncoin-" + keyId.toLowerCase(Locale.ROOT).replace('_', '-');
    String cryptoKey = keyRing + "/cryptoKeys/" + cryptoKeyId;
    try {
      client.createCryptoKeyCallable().call(CreateCryptoKeyRequest.newBuilder()
          .setParent(keyRing)
          .setCryptoKeyId(cryptoKeyId)
          .setCryptoKey(CryptoKey.newBuilder()
              .setPurpose(CryptoKeyPurpose.ASYMMETRIC_SIGN)
              .putLabels("tenant", tenantId.toLowerCase(Locale.ROOT))
              .putLabels("environment", environment)
              .setVersionTemplate(CryptoKeyVersionTemplate.newBuilder()
                  .setAlgorithm(CryptoKeyVersionAlgorithm.EC_SIGN_ED25519)
                  .setProtectionLevel(ProtectionLevel.HSM)))
          .build(), KmsCalls.CALL);
    } catch (AlreadyExistsException madeBefore) {
      // A retry after a lost answer: the key is there, and its first version is ours.
    } catch (ApiException e) {
      throw new SignerUnavailableException("Cloud KMS CreateCryptoKey in " + keyRing
          + " failed: " + e.getStatusCode().getCode(), e);
    }
    String version = cryptoKey + "/cryptoKeyVersions/1";
    return new NewKey(new KmsSigner(client, version).publicKey(), null, version);
  }

  @Override
  public Signer open(String keyId, byte[] sealedSeed, String kmsKeyVersion) {
    if (kmsKeyVersion == null) {
      throw new IllegalStateException("signing key " + keyId + " is a local key, but this gateway "
          + "runs the Cloud KMS signer");
    }
    return new KmsSigner(client, kmsKeyVersion);
  }
}
