package com.learncoin.gateway.support;

import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.cloud.kms.v1.ProtectionLevel;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Predicate;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The fake KMS's ENCRYPT_DECRYPT key: a real AES-256-GCM key, with Encrypt and Decrypt answering
 * as KMS does (CRC32C fields verified and returned, additional authenticated data bound, a wrong
 * one refused with INVALID_ARGUMENT).
 */
final class FakeSymmetricKey {
  private final String name;
  private final Predicate<StreamObserver<?>> failed;
  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  FakeSymmetricKey(String name, Predicate<StreamObserver<?>> failed) {
    this.name = name;
    this.failed = failed;
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(256);
      this.key = generator.generateKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String name() {
    return name;
  }

  void encrypt(EncryptRequest request, StreamObserver<EncryptResponse> reply) {
    if (failed.test(reply) || !known(request.getName(), reply)) {
      return;
    }
    byte[] plaintext = request.getPlaintext().toByteArray();
    byte[] aad = request.getAdditionalAuthenticatedData().toByteArray();
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, plaintext, aad);
    byte[] ciphertext = ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
    reply.onNext(EncryptResponse.newBuilder()
        .setName(name + "/cryptoKeyVersions/1")
        .setCiphertext(ByteString.copyFrom(ciphertext))
        .setCiphertextCrc32C(Int64Value.of(FakeKms.crc32c(ciphertext)))
        .setVerifiedPlaintextCrc32C(request.hasPlaintextCrc32C()
            && request.getPlaintextCrc32C().getValue() == FakeKms.crc32c(plaintext))
        .setVerifiedAdditionalAuthenticatedDataCrc32C(request.hasAdditionalAuthenticatedDataCrc32C()
            && request.getAdditionalAuthenticatedDataCrc32C().getValue() == FakeKms.crc32c(aad))
        .setProtectionLevel(ProtectionLevel.HSM)
        .build());
    reply.onCompleted();
  }

  void decrypt(DecryptRequest request, StreamObserver<DecryptResponse> reply) {
    if (failed.test(reply) || !known(request.getName(), reply)) {
      return;
    }
    byte[] ciphertext = request.getCiphertext().toByteArray();
    byte[] plaintext;
    try {
      plaintext = crypt(Cipher.DECRYPT_MODE, Arrays.copyOf(ciphertext, 12),
          Arrays.copyOfRange(ciphertext, 12, ciphertext.length),
          request.getAdditionalAuthenticatedData().toByteArray());
    } catch (IllegalStateException | ArrayIndexOutOfBoundsException e) {
      reply.onError(Status.INVALID_ARGUMENT.withDescription("Decryption failed: the ciphertext is "
          + "invalid.").asRuntimeException());
      return;
    }
    reply.onNext(DecryptResponse.newBuilder()
        .setPlaintext(ByteString.copyFrom(plaintext))
        .setPlaintextCrc32C(Int64Value.of(FakeKms.crc32c(plaintext)))
        .setUsedPrimary(true)
        .setProtectionLevel(ProtectionLevel.HSM)
        .build());
    reply.onCompleted();
  }

  private boolean known(String requested, StreamObserver<?> reply) {
    if (name.equals(requested)) {
      return true;
    }
    reply.onError(Status.NOT_FOUND.withDescription(requested + " not found").asRuntimeException());
    return false;
  }

  private byte[] crypt(int mode, byte[] nonce, byte[] input, byte[] aad) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
