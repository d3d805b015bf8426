package com.learncoin.gateway.metrics;

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
