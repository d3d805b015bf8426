package com.learncoin.gateway.metrics;

import com.learncoin.gateway.signing.KeyVault;
import com.learncoin.gateway.signing.Signer;

/** The signer, each signature timed ({@code learncoin_signer_sign_seconds}). */
public final class TimedSigner implements Signer {
  private final Signer signer;
  private final Metrics metrics;

  private TimedSigner(Signer signer, Metrics metrics) {
    this.signer = signer;
    this.metrics = metrics;
  }

  public static Signer of(Signer signer, Metrics metrics) {
    return metrics.enabled() ? new TimedSigner(signer, metrics) : signer;
  }

  /** Tenants' keys as the vault opens them, each signature timed too. */
  public static KeyVault of(KeyVault vault, Metrics metrics) {
    return new KeyVault() {
      @Override
      public NewKey create(String keyId, String tenantId, String environment) {
        return vault.create(keyId, tenantId, environment);
      }

      @Override
      public Signer open(String keyId, byte[] sealedSeed, String kmsKeyVersion) {
        return TimedSigner.of(vault.open(keyId, sealedSeed, kmsKeyVersion), metrics);
      }
    };
  }

  @Override
  public byte[] publicKey() {
    return signer.publicKey();
  }

  @Override
  public byte[] sign(byte[] data) {
    return metrics.timeSigner(() -> signer.sign(data));
  }

  @Override
  public String describe() {
    return signer.describe();
  }
}
