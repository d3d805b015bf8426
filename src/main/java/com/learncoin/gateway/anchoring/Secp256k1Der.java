package com.learncoin.gateway.anchoring;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Sign;

/** The two encodings Cloud KMS uses for secp256k1: a PEM SubjectPublicKeyInfo and DER signatures. */
final class Secp256k1Der {
  private static final BigInteger N = Sign.CURVE_PARAMS.getN();

  private Secp256k1Der() {}

  /**
   * The public key in a PEM SubjectPublicKeyInfo (id-ecPublicKey, named curve secp256k1), as web3j
   * holds it: X ‖ Y as an unsigned number. The point is checked to be on the curve.
   *
   * @throws IllegalStateException if the PEM holds anything else
   */
  static BigInteger publicKey(String pem, String keyVersionName) {
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject object = reader.readPemObject();
      if (object == null || !"PUBLIC KEY".equals(object.getType())) {
        throw unusable(keyVersionName, "no PUBLIC KEY block", null);
      }
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(object.getContent());
      AlgorithmIdentifier algorithm = info.getAlgorithm();
      if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
          || !SECObjectIdentifiers.secp256k1.equals(algorithm.getParameters())) {
        throw unusable(keyVersionName, "not a secp256k1 key", null);
      }
      ECPoint point = Sign.CURVE_PARAMS.getCurve().decodePoint(info.getPublicKeyData().getOctets());
      byte[] uncompressed = point.normalize().getEncoded(false);
      return new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, uncompressed.length));
    } catch (IOException | IllegalArgumentException e) {
      throw unusable(keyVersionName, "not a valid secp256k1 PEM", e);
    }
  }

  /**
   * (r, s) of a DER {@code SEQUENCE { INTEGER r, INTEGER s }}, both in [1, n-1]. Only the exact DER
   * encoding is accepted: no trailing bytes, no alternative length forms.
   *
   * @throws IllegalArgumentException if the bytes are anything else
   */
  static ECDSASignature signature(byte[] der) {
    try {
      ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
      if (!(parsed instanceof ASN1Sequence sequence) || sequence.size() != 2
          || !(sequence.getObjectAt(0) instanceof ASN1Integer r)
          || !(sequence.getObjectAt(1) instanceof ASN1Integer s)) {
        throw new IllegalArgumentException("not a SEQUENCE of two INTEGERs");
      }
      if (!Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), der)) {
        throw new IllegalArgumentException("not in DER");
      }
      return new ECDSASignature(inRange(r.getValue(), "r"), inRange(s.getValue(), "s"));
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable ASN.1", e);
    }
  }

  private static BigInteger inRange(BigInteger value, String name) {
    if (value.signum() <= 0 || value.compareTo(N) >= 0) {
      throw new IllegalArgumentException(name + " is outside [1, n-1]");
    }
    return value;
  }

  private static IllegalStateException unusable(String keyVersionName, String problem,
      Exception cause) {
    return new IllegalStateException(
        "Cloud KMS public key of " + keyVersionName + " is unusable: " + problem, cause);
  }
}
