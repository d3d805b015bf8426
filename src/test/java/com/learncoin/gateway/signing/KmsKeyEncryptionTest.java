package com.learncoin.gateway.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.support.FakeKms;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tenants' seeds sealed by a Cloud KMS symmetric key (envelope encryption)")
class KmsKeyEncryptionTest {

  @Test
  @DisplayName("a made key opens through KMS Decrypt to a signer of the same key; no plaintext is stored")
  void roundTrip() {
    try (FakeKms kms = new FakeKms()) {
      LocalKeyVault vault = new LocalKeyVault(new KmsKeyEncryption(kms.client(),
          kms.symmetricKeyName()));
      KeyVault.NewKey made = vault.create("sk_1", "ten_1", "live");
      Signer signer = vault.open("sk_1", made.sealedSeed(), null);
      assertThat(signer.publicKey()).isEqualTo(made.publicKey());
      byte[] data = "data".getBytes(StandardCharsets.UTF_8);
      assertThat(Ed25519.verify(signer.sign(data), 0, made.publicKey(), 0, data, 0, data.length))
          .isTrue();
      assertThat(made.sealedSeed().length).isGreaterThan(32);
    }
  }

  @Test
  @DisplayName("another key's row is refused; KMS down is a signer outage, retried like one")
  void refusals() {
    try (FakeKms kms = new FakeKms()) {
      KmsKeyEncryption seal = new KmsKeyEncryption(kms.client(), kms.symmetricKeyName());
      byte[] sealed = seal.seal(new byte[32], "sk_1");
      assertThatThrownBy(() -> seal.open(sealed, "sk_2"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("sk_2");
      kms.mode(FakeKms.Mode.UNAVAILABLE);
      assertThatThrownBy(() -> seal.open(sealed, "sk_1"))
          .isInstanceOf(SignerUnavailableException.class).hasMessageContaining("Decrypt");
      assertThatThrownBy(() -> seal.seal(new byte[32], "sk_3"))
          .isInstanceOf(SignerUnavailableException.class).hasMessageContaining("Encrypt");
    }
  }
}
