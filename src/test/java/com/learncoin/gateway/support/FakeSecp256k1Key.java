package com.learncoin.gateway.support;

import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.ProtectionLevel;
import com.google.cloud.kms.v1.PublicKey;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * The {@code EC_SIGN_SECP256K1_SHA256} key version of {@link FakeKms}: a real secp256k1 key that
 * signs the given 32-byte digest with plain ECDSA and a random k, as KMS does. Nothing folds s
 * into the lower half, so about every other signature has a high s, as Ethereum code must expect.
 */
final class FakeSecp256k1Key {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);

  private final String name;
  private final SecureRandom random = new SecureRandom();
  private final ECPrivateKeyParameters privateKey;
  private final ECPrivateKeyParameters foreignKey;
  private final byte[] publicPoint;
  private final AtomicInteger highS = new AtomicInteger();

  FakeSecp256k1Key(String name) {
    this.name = name;
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(DOMAIN, random));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    privateKey = (ECPrivateKeyParameters) pair.getPrivate();
    foreignKey = (ECPrivateKeyParameters) generator.generateKeyPair().getPrivate();
    publicPoint = ((ECPublicKeyParameters) pair.getPublic()).getQ().getEncoded(false);
  }

  /** The uncompressed public point, 0x04 ‖ X ‖ Y. */
  byte[] publicPoint() {
    return publicPoint.clone();
  }

  int highSSignatures() {
    return highS.get();
  }

  /** Answers GetPublicKey: SubjectPublicKeyInfo with id-ecPublicKey and secp256k1, in PEM. */
  void getPublicKey(StreamObserver<PublicKey> reply) {
    reply.onNext(publicKey());
    reply.onCompleted();
  }

  /** Answers AsymmetricSign, or refuses it with the status KMS would use. */
  void asymmetricSign(AsymmetricSignRequest request, FakeKms.Mode mode,
      StreamObserver<AsymmetricSignResponse> reply) {
    try {
      reply.onNext(sign(request, mode));
      reply.onCompleted();
    } catch (StatusRuntimeException refused) {
      reply.onError(refused);
    }
  }

  private PublicKey publicKey() {
    try {
      String pem = FakeKms.pem(new SubjectPublicKeyInfo(new AlgorithmIdentifier(
          X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1), publicPoint)
          .getEncoded());
      return PublicKey.newBuilder()
          .setName(name)
          .setPem(pem)
          .setPemCrc32C(Int64Value.of(FakeKms.crc32c(pem.getBytes(StandardCharsets.UTF_8))))
          .setAlgorithm(CryptoKeyVersionAlgorithm.EC_SIGN_SECP256K1_SHA256)
          .setProtectionLevel(ProtectionLevel.HSM)
          .build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The AsymmetricSign answer: a DER ECDSA signature over {@code digest.sha256}, refused as KMS
   * refuses it when the digest is missing, of the wrong length, or fails its digest_crc32c.
   */
  private AsymmetricSignResponse sign(AsymmetricSignRequest request, FakeKms.Mode mode) {
    byte[] digest = request.getDigest().getSha256().toByteArray();
    if (!request.hasDigest() || digest.length != 32 || !request.getData().isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription(
          "EC_SIGN_SECP256K1_SHA256 signs a 32-byte digest.sha256").asRuntimeException();
    }
    if (request.hasDigestCrc32C() && request.getDigestCrc32C().getValue() != FakeKms.crc32c(digest)) {
      throw Status.INVALID_ARGUMENT.withDescription("digest_crc32c does not match digest")
          .asRuntimeException();
    }
    ECDSASigner signer = new ECDSASigner();
    signer.init(true, new ParametersWithRandom(
        mode == FakeKms.Mode.FOREIGN_SECP256K1_SIGNATURE ? foreignKey : privateKey, random));
    BigInteger[] rs = signer.generateSignature(digest);
    if (rs[1].compareTo(CURVE.getN().shiftRight(1)) > 0) {
      highS.incrementAndGet();
    }
    byte[] signature;
    try {
      signature = new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]),
          new ASN1Integer(rs[1])}).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    long signatureCrc = FakeKms.crc32c(signature)
        + (mode == FakeKms.Mode.CORRUPT_SIGNATURE_CRC32C ? 1 : 0);
    return AsymmetricSignResponse.newBuilder()
        .setName(name)
        .setSignature(ByteString.copyFrom(signature))
        .setSignatureCrc32C(Int64Value.of(signatureCrc))
        .setVerifiedDigestCrc32C(request.hasDigestCrc32C()
            && mode != FakeKms.Mode.UNVERIFIED_DATA_CRC32C)
        .setProtectionLevel(ProtectionLevel.HSM)
        .build();
  }
}
