package com.learncoin.gateway.signing;

import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiCallContext;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.GetPublicKeyRequest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.PublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.zip.CRC32C;

/**
 * What both Cloud KMS keys (the credential signer and the chain wallet) share: bounded retries,
 * CRC32C, and a public key fetched with its integrity fields checked. Failures become the caller's
 * "try later" exception, so each worker step decides about retrying with its own backoff.
 */
public final class KmsCalls {
  /**
   * A few quick retries within three seconds, instead of the client's default of about a minute.
   * Set per call rather than on the client, so the bound holds whatever client we are given (it
   * must use gRPC, the default transport of KeyManagementServiceClient).
   */
  public static final ApiCallContext CALL = GrpcCallContext.createDefault()
      .withRetrySettings(RetrySettings.newBuilder()
          .setInitialRetryDelayDuration(Duration.ofMillis(100))
          .setRetryDelayMultiplier(2.0)
          .setMaxRetryDelayDuration(Duration.ofMillis(500))
          .setInitialRpcTimeoutDuration(Duration.ofSeconds(2))
          .setRpcTimeoutMultiplier(1.0)
          .setMaxRpcTimeoutDuration(Duration.ofSeconds(2))
          .setTotalTimeoutDuration(Duration.ofSeconds(3))
          .setMaxAttempts(3)
          .build())
      .withRetryableCodes(Set.of(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED));

  private KmsCalls() {}

  public static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }

  /**
   * The key version's public key, its name and PEM CRC32C checked; a key of another algorithm is
   * a configuration error ({@link IllegalStateException}), anything else {@code failure}.
   */
  public static PublicKey publicKey(KeyManagementServiceClient client, String keyVersionName,
      CryptoKeyVersionAlgorithm expected, String purpose,
      BiFunction<String, Throwable, RuntimeException> failure) {
    PublicKey key;
    try {
      key = client.getPublicKeyCallable()
          .call(GetPublicKeyRequest.newBuilder().setName(keyVersionName).build(), CALL);
    } catch (ApiException e) {
      // The status code says what went wrong; request data stays out of the message.
      throw failure.apply("Cloud KMS GetPublicKey on " + keyVersionName + " failed: "
          + e.getStatusCode().getCode(), e);
    }
    if (!keyVersionName.equals(key.getName())) {
      throw failure.apply(integrity(keyVersionName, "GetPublicKey answered for another key "
          + "version"), null);
    }
    byte[] pem = key.getPem().getBytes(StandardCharsets.UTF_8);
    if (!key.hasPemCrc32C() || key.getPemCrc32C().getValue() != crc32c(pem)) {
      throw failure.apply(integrity(keyVersionName, "pem_crc32c of the GetPublicKey answer does "
          + "not match its PEM"), null);
    }
    if (key.getAlgorithm() != expected) {
      throw new IllegalStateException("Cloud KMS key version " + keyVersionName + " is "
          + key.getAlgorithm() + "; " + purpose + " needs an " + expected + " key version");
    }
    return key;
  }

  /**
   * What is wrong with an AsymmetricSign answer, or null: the request's checksum not verified by
   * KMS ({@code requestVerified}, named {@code requestChecksum}), another key version, or a
   * signature that does not match its own checksum.
   */
  public static String signatureProblem(AsymmetricSignResponse response, String keyVersionName,
      boolean requestVerified, String requestChecksum) {
    if (!requestVerified) {
      return "KMS did not verify " + requestChecksum + ": the request may have been corrupted";
    }
    if (!keyVersionName.equals(response.getName())) {
      return "AsymmetricSign answered for another key version";
    }
    if (!response.hasSignatureCrc32C() || response.getSignatureCrc32C().getValue()
        != crc32c(response.getSignature().toByteArray())) {
      return "signature_crc32c does not match the signature: the answer was corrupted";
    }
    return null;
  }

  public static String integrity(String keyVersionName, String problem) {
    return "Cloud KMS integrity check failed for " + keyVersionName + ": " + problem;
  }
}
