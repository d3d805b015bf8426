package com.learncoin.gateway.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Tenants' local keys: sealed under the data directory's key-encryption key")
class LocalKeyVaultTest {
  @TempDir Path dir;
  @TempDir Path otherDir;

  @Test
  @DisplayName("a made key opens to a signer of the same public key; the KEK file is 0600")
  void roundTrip() throws Exception {
    LocalKeyVault vault = new LocalKeyVault(KeyEncryption.loadOrCreate(dir));
    KeyVault.NewKey made = vault.create("sk_1", "ten_1", "test");
    assertThat(made.kmsKeyVersion()).isNull();
    assertThat(made.sealedSeed()).hasSize(12 + 32 + 16);
    Signer signer = vault.open("sk_1", made.sealedSeed(), null);
    assertThat(signer.publicKey()).isEqualTo(made.publicKey());
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    assertThat(Ed25519.verify(signer.sign(data), 0, made.publicKey(), 0, data, 0, data.length))
        .isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve(KeyEncryption.FILE)))).isEqualTo("rw-------");
    // The same data dir later (a restart) opens it too.
    assertThat(new LocalKeyVault(KeyEncryption.loadOrCreate(dir)).open("sk_1", made.sealedSeed(),
        null).publicKey()).isEqualTo(made.publicKey());
  }

  @Test
  @DisplayName("another data dir's KEK, another key's row, or a flipped bit does not open")
  void refuses() {
    KeyVault.NewKey made = new LocalKeyVault(KeyEncryption.loadOrCreate(dir))
        .create("sk_1", "ten_1", "live");
    LocalKeyVault stranger = new LocalKeyVault(KeyEncryption.loadOrCreate(otherDir));
    assertThatThrownBy(() -> stranger.open("sk_1", made.sealedSeed(), null))
        .hasMessageContaining("cannot open the sealed key sk_1");
    LocalKeyVault own = new LocalKeyVault(KeyEncryption.loadOrCreate(dir));
    assertThatThrownBy(() -> own.open("sk_2", made.sealedSeed(), null))
        .hasMessageContaining("cannot open the sealed key sk_2");
    byte[] tampered = made.sealedSeed().clone();
    tampered[20] ^= 1;
    assertThatThrownBy(() -> own.open("sk_1", tampered, null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> own.open("sk_1", null, "projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"))
        .hasMessageContaining("held by Cloud KMS");
  }
}
