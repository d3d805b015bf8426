package com.learncoin.gateway.signing;

import java.io.IOException;
import java.io.StringReader;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** Reads the raw 32-byte key out of the PEM SubjectPublicKeyInfo that KMS returns for Ed25519. */
final class Ed25519Pem {
  private static final int KEY_SIZE = 32;
  // id-Ed25519 of RFC 8410; bcprov keeps its own constant in an internal package.
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  private Ed25519Pem() {}

  static byte[] rawPublicKey(String pem, String keyVersionName) {
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject object = reader.readPemObject();
      if (object == null || !"PUBLIC KEY".equals(object.getType())) {
        throw unreadable(keyVersionName, "no PUBLIC KEY block");
      }
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(object.getContent());
      if (!ID_ED25519.equals(info.getAlgorithm().getAlgorithm())) {
        throw unreadable(keyVersionName, "not an Ed25519 key");
      }
      byte[] key = info.getPublicKeyData().getOctets();
      if (key.length != KEY_SIZE) {
        throw unreadable(keyVersionName, "key is " + key.length + " bytes, not 32");
      }
      return key;
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("Cloud KMS public key of " + keyVersionName
          + " is not a valid Ed25519 PEM", e);
    }
  }

  private static IllegalStateException unreadable(String keyVersionName, String problem) {
    return new IllegalStateException(
        "Cloud KMS public key of " + keyVersionName + " is unusable: " + problem);
  }
}
