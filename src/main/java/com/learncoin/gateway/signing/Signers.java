package com.learncoin.gateway.signing;

import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.learncoin.gateway.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds the configured signing: the composition root's one entry into this package. */
public final class Signers {
  static final String LOCAL_KEY_FILE = "signing-key.ed25519";

  private Signers() {}

  /**
   * {@code signer = "local"} gives the key in the data directory; anything else is a Cloud KMS key
   * version name (validated by the config loader), reached with application default credentials.
   * Blocking (file or network I/O): call at start-up on a worker thread.
   */
  public static Signing fromConfig(Config config) {
    boolean localSigner = "local".equals(config.signer());
    boolean localSeal = "local".equals(config.keyEncryption());
    if (localSigner && localSeal) {
      return new Signing(LocalEd25519Signer.loadOrCreate(config.dataDir().resolve(LOCAL_KEY_FILE)),
          new LocalKeyVault(KeyEncryption.loadOrCreate(config.dataDir())));
    }
    KeyManagementServiceClient client;
    try {
      client = KeyManagementServiceClient.create();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud KMS client"
          + " (are application default credentials set up?)", e);
    }
    // The client then lives as long as the process: its threads are daemons, so it needs no close.
    try {
      return localSigner
          ? new Signing(LocalEd25519Signer.loadOrCreate(config.dataDir().resolve(LOCAL_KEY_FILE)),
              new LocalKeyVault(new KmsKeyEncryption(client, config.keyEncryption())))
          : kmsSigning(client, config.signer());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * The gateway-wide key ({@code LEARNCOIN_SIGNER}: what signed credentials before tenants had
   * keys of their own, and what still verifies them) and the vault tenants' keys are made in.
   */
  public record Signing(Signer gatewayKey, KeyVault vault) {}

  /** The gateway key in KMS, and tenants' keys as crypto keys in its key ring. */
  public static Signing kmsSigning(KeyManagementServiceClient client, String keyVersionName) {
    return new Signing(kms(client, keyVersionName),
        new KmsKeyVault(client, KmsKeyVault.keyRingOf(keyVersionName)));
  }

  /** A signer over a client built elsewhere (tests, or custom endpoints); see {@link KmsSigner}. */
  public static Signer kms(KeyManagementServiceClient client, String keyVersionName) {
    return new KmsSigner(client, keyVersionName);
  }
}
