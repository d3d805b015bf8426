package com.learncoin.gateway.support;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.kms.v1.AsymmetricSignRequest;
import com.google.cloud.kms.v1.AsymmetricSignResponse;
import com.google.cloud.kms.v1.CreateCryptoKeyRequest;
import com.google.cloud.kms.v1.CryptoKey;
import com.google.cloud.kms.v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.cloud.kms.v1.GetPublicKeyRequest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import com.google.cloud.kms.v1.KmsProto;
import com.google.cloud.kms.v1.ProtectionLevel;
import com.google.cloud.kms.v1.PublicKey;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Cloud KMS in-process: a gRPC server with a real Ed25519 key (the credential signer's) and a real
 * secp256k1 key (the chain wallet's, {@link #secp256k1KeyVersionName()}) that answers GetPublicKey
 * and AsymmetricSign the way KMS does (PEM, CRC32C integrity fields, status codes), so tests run
 * the real {@link KeyManagementServiceClient} end to end. Its failure {@link Mode}, which applies
 * to both keys, can be switched at any time.
 */
public final class FakeKms implements AutoCloseable {
  /** How the fake answers from now on. */
  public enum Mode {
    OK,
    /** Both RPCs fail with UNAVAILABLE, as during a KMS or network outage. */
    UNAVAILABLE,
    /** Both RPCs fail with DEADLINE_EXCEEDED, as KMS answers when it ran out of time itself. */
    DEADLINE_EXCEEDED,
    /** Both RPCs never answer, so only the client's own deadline ends the call. */
    HANG,
    /** AsymmetricSign answers with a signature_crc32c that does not match the signature. */
    CORRUPT_SIGNATURE_CRC32C,
    /** AsymmetricSign answers without having verified data_crc32c (digest_crc32c: secp256k1). */
    UNVERIFIED_DATA_CRC32C,
    /** The secp256k1 key answers a well-formed signature made by another key (Ed25519: as OK). */
    FOREIGN_SECP256K1_SIGNATURE
  }

  private static final String KEY_VERSION = "projects/learncoin-test/locations/global/keyRings/"
      + "gateway/cryptoKeys/credentials/cryptoKeyVersions/1";
  private static final String SECP256K1_KEY_VERSION = "projects/learncoin-test/locations/global/"
      + "keyRings/gateway/cryptoKeys/wallet/cryptoKeyVersions/1";
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  private final byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
  private final byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
  /** Ed25519 key versions by name: the gateway key, and those CreateCryptoKey made (tenants'). */
  private final Map<String, byte[][]> ed25519 = new ConcurrentHashMap<>();
  private final FakeSecp256k1Key secp256k1 = new FakeSecp256k1Key(SECP256K1_KEY_VERSION);
  private final FakeSymmetricKey symmetric = new FakeSymmetricKey(
      "projects/learncoin-test/locations/global/keyRings/gateway/cryptoKeys/seeds", this::failed);
  private final AtomicInteger signCalls = new AtomicInteger();
  private volatile Mode mode = Mode.OK;
  private volatile CryptoKeyVersionAlgorithm algorithm = CryptoKeyVersionAlgorithm.EC_SIGN_ED25519;
  private final Server server;
  private final ManagedChannel channel;
  private final KeyManagementServiceClient client;

  public FakeKms() {
    Ed25519.generatePrivateKey(new SecureRandom(), seed);
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    ed25519.put(KEY_VERSION, new byte[][] {seed, publicKey});
    String name = "fake-kms-" + UUID.randomUUID();
    try {
      server = InProcessServerBuilder.forName(name).directExecutor()
          .addService(service()).build().start();
      channel = InProcessChannelBuilder.forName(name).build();
      client = KeyManagementServiceClient.create(KeyManagementServiceSettings.newBuilder()
          .setTransportChannelProvider(
              FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
          .setCredentialsProvider(NoCredentialsProvider.create())
          .build());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the in-process KMS", e);
    }
  }

  /** A real KMS client wired to this fake; closed by {@link #close()}. */
  public KeyManagementServiceClient client() {
    return client;
  }

  public String keyVersionName() {
    return KEY_VERSION;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The wallet's key version: algorithm EC_SIGN_SECP256K1_SHA256, signs digests only. */
  public String secp256k1KeyVersionName() {
    return SECP256K1_KEY_VERSION;
  }

  /** The secp256k1 public point, uncompressed: 0x04 ‖ X ‖ Y. */
  public byte[] secp256k1PublicKey() {
    return secp256k1.publicPoint();
  }

  /** secp256k1 signatures answered with s above n/2, which Ethereum refuses until folded. */
  public int highSSignatures() {
    return secp256k1.highSSignatures();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** The algorithm GetPublicKey reports, to test that a non-Ed25519 key version is refused. */
  public void algorithm(CryptoKeyVersionAlgorithm algorithm) {
    this.algorithm = algorithm;
  }

  /** The ENCRYPT_DECRYPT crypto key that seals tenants' seeds (LEARNCOIN_KEY_ENCRYPTION). */
  public String symmetricKeyName() {
    return symmetric.name();
  }

  /** Crypto keys made by CreateCryptoKey (tenants' signing keys). */
  public int createdKeys() {
    return ed25519.size() - 1;
  }

  /** The key ring the gateway key is in, where CreateCryptoKey makes tenants' keys. */
  public String keyRingName() {
    return KEY_VERSION.substring(0, KEY_VERSION.indexOf("/cryptoKeys/"));
  }

  /** AsymmetricSign requests received, retries and failed ones included. */
  public int signCalls() {
    return signCalls.get();
  }

  @Override
  public void close() {
    client.close();
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The two RPCs the signer uses, bound by hand: the generated KeyManagementServiceImplBase lives in
   * grpc-google-cloud-kms-v1, which the project does not depend on. Method names come from the
   * proto descriptor, so they are the ones the client stub calls; any other RPC gets UNIMPLEMENTED.
   */
  private ServerServiceDefinition service() {
    ServiceDescriptor kms = KmsProto.getDescriptor().findServiceByName("KeyManagementService");
    return ServerServiceDefinition.builder(kms.getFullName())
        .addMethod(unary(kms, "GetPublicKey", GetPublicKeyRequest.getDefaultInstance(),
            PublicKey.getDefaultInstance()), ServerCalls.asyncUnaryCall(this::getPublicKey))
        .addMethod(unary(kms, "AsymmetricSign", AsymmetricSignRequest.getDefaultInstance(),
            AsymmetricSignResponse.getDefaultInstance()),
            ServerCalls.asyncUnaryCall(this::asymmetricSign))
        .addMethod(unary(kms, "CreateCryptoKey", CreateCryptoKeyRequest.getDefaultInstance(),
            CryptoKey.getDefaultInstance()), ServerCalls.asyncUnaryCall(this::createCryptoKey))
        .addMethod(unary(kms, "Encrypt", EncryptRequest.getDefaultInstance(),
            EncryptResponse.getDefaultInstance()), ServerCalls.asyncUnaryCall(symmetric::encrypt))
        .addMethod(unary(kms, "Decrypt", DecryptRequest.getDefaultInstance(),
            DecryptResponse.getDefaultInstance()), ServerCalls.asyncUnaryCall(symmetric::decrypt))
        .build();
  }

  private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(
      ServiceDescriptor service, String method, Q request, R response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(
            service.getFullName(), service.findMethodByName(method).getName()))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }

  /** An EC_SIGN_ED25519 key in this fake's key ring, with its first version enabled at once. */
  private void createCryptoKey(CreateCryptoKeyRequest request, StreamObserver<CryptoKey> reply) {
    if (failed(reply)) {
      return;
    }
    CryptoKey wanted = request.getCryptoKey();
    if (!request.getParent().equals(keyRingName())
        || !request.getCryptoKeyId().matches("[a-zA-Z0-9_-]{1,63}")
        || wanted.getPurpose() != CryptoKey.CryptoKeyPurpose.ASYMMETRIC_SIGN
        || wanted.getVersionTemplate().getAlgorithm() != CryptoKeyVersionAlgorithm.EC_SIGN_ED25519) {
      reply.onError(Status.INVALID_ARGUMENT.withDescription("not an EC_SIGN_ED25519 key in "
          + keyRingName()).asRuntimeException());
      return;
    }
    String name = request.getParent() + "/cryptoKeys/" + request.getCryptoKeyId();
    byte[] newSeed = new byte[Ed25519.SECRET_KEY_SIZE];
    byte[] newPublic = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePrivateKey(new SecureRandom(), newSeed);
    Ed25519.generatePublicKey(newSeed, 0, newPublic, 0);
    if (ed25519.putIfAbsent(name + "/cryptoKeyVersions/1", new byte[][] {newSeed, newPublic})
        != null) {
      reply.onError(Status.ALREADY_EXISTS.withDescription(name + " exists").asRuntimeException());
      return;
    }
    reply.onNext(wanted.toBuilder().setName(name).build());
    reply.onCompleted();
  }

  private void getPublicKey(GetPublicKeyRequest request, StreamObserver<PublicKey> reply) {
    if (failed(reply) || !known(request.getName(), reply)) {
      return;
    }
    if (SECP256K1_KEY_VERSION.equals(request.getName())) {
      secp256k1.getPublicKey(reply);
      return;
    }
    String pem = ed25519Pem(ed25519.get(request.getName())[1]);
    reply.onNext(PublicKey.newBuilder()
        .setName(request.getName())
        .setPem(pem)
        .setPemCrc32C(Int64Value.of(crc32c(pem.getBytes(StandardCharsets.UTF_8))))
        .setAlgorithm(algorithm)
        .setProtectionLevel(ProtectionLevel.HSM)
        .build());
    reply.onCompleted();
  }

  private void asymmetricSign(AsymmetricSignRequest request,
      StreamObserver<AsymmetricSignResponse> reply) {
    signCalls.incrementAndGet();
    if (failed(reply) || !known(request.getName(), reply)) {
      return;
    }
    if (SECP256K1_KEY_VERSION.equals(request.getName())) {
      secp256k1.asymmetricSign(request, mode, reply);
      return;
    }
    byte[] data = request.getData().toByteArray();
    // Real KMS refuses digests for Ed25519 and requests whose data_crc32c does not match.
    if (request.hasDigest() || data.length == 0) {
      reply.onError(Status.INVALID_ARGUMENT
          .withDescription("EC_SIGN_ED25519 signs data, not a digest").asRuntimeException());
      return;
    }
    if (request.hasDataCrc32C() && request.getDataCrc32C().getValue() != crc32c(data)) {
      reply.onError(Status.INVALID_ARGUMENT
          .withDescription("data_crc32c does not match data").asRuntimeException());
      return;
    }
    byte[][] key = ed25519.get(request.getName());
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(key[0], 0, key[1], 0, data, 0, data.length, signature, 0);
    long signatureCrc = crc32c(signature) + (mode == Mode.CORRUPT_SIGNATURE_CRC32C ? 1 : 0);
    reply.onNext(AsymmetricSignResponse.newBuilder()
        .setName(request.getName())
        .setSignature(ByteString.copyFrom(signature))
        .setSignatureCrc32C(Int64Value.of(signatureCrc))
        .setVerifiedDataCrc32C(request.hasDataCrc32C() && mode != Mode.UNVERIFIED_DATA_CRC32C)
        .setProtectionLevel(ProtectionLevel.HSM)
        .build());
    reply.onCompleted();
  }

  private boolean failed(StreamObserver<?> reply) {
    switch (mode) {
      case UNAVAILABLE -> reply.onError(Status.UNAVAILABLE
          .withDescription("fake KMS is down").asRuntimeException());
      case DEADLINE_EXCEEDED -> reply.onError(Status.DEADLINE_EXCEEDED
          .withDescription("fake KMS ran out of time").asRuntimeException());
      case HANG -> { }
      default -> {
        return false;
      }
    }
    return true;
  }

  private boolean known(String name, StreamObserver<?> reply) {
    if (ed25519.containsKey(name) || SECP256K1_KEY_VERSION.equals(name)) {
      return true;
    }
    reply.onError(Status.NOT_FOUND.withDescription(name + " not found").asRuntimeException());
    return false;
  }

  private static String ed25519Pem(byte[] ed25519PublicKey) {
    try {
      return pem(new SubjectPublicKeyInfo(new AlgorithmIdentifier(ID_ED25519), ed25519PublicKey)
          .getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(byte[] subjectPublicKeyInfo) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(subjectPublicKeyInfo)
        + "\n-----END PUBLIC KEY-----\n";
  }

  static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }
}
