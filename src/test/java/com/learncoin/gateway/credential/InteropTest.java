package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.NodeVerifier;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.BitSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the API promises: credentials verify with Digital Bazaar's independent verifiers, offline,
 * given only the bundled contexts. Runs interop/verify-credential.mjs with Node.
 */
@DisplayName("Digital Bazaar's verifiers accept what the gateway signs, and nothing else")
class InteropTest {
  private static final DataIntegrityProofs PROOFS = new DataIntegrityProofs();
  private static final int INDEX = 4242;
  private static NodeVerifier verifier;

  private final TestEd25519Signer signer = TestEd25519Signer.generate();

  @BeforeAll
  static void findNodeAndModules() {
    verifier = new NodeVerifier();
  }

  @Test
  @DisplayName("a Java-signed OpenBadgeCredential verifies")
  void verifies() throws Exception {
    JsonObject result = verify(TestCredentials.signed(PROOFS, signer, INDEX), null);

    assertThat(result.getBoolean("verified")).as(result.encode()).isTrue();
    assertThat(result.getValue("revoked")).isNull();
    assertThat(result.getJsonArray("errors")).isEmpty();
  }

  @Test
  @DisplayName("a tampered copy does not verify")
  void tamperedFails() throws Exception {
    JsonObject tampered = TestCredentials.signed(PROOFS, signer, INDEX);
    tampered.getJsonObject("credentialSubject").getJsonObject("achievement")
        .put("name", "Welding Level 3");

    JsonObject result = verify(tampered, null);

    assertThat(result.getBoolean("verified")).as(result.encode()).isFalse();
    assertThat(result.getJsonArray("errors")).isNotEmpty();
  }

  @Test
  @DisplayName("with the signed status list and its bit clear, the credential is not revoked")
  void notRevoked() throws Exception {
    BitSet revoked = new BitSet();
    revoked.set(INDEX - 1);
    revoked.set(INDEX + 1);

    JsonObject result = verify(TestCredentials.signed(PROOFS, signer, INDEX), statusList(revoked));

    assertThat(result.getBoolean("verified")).as(result.encode()).isTrue();
    assertThat(result.getBoolean("revoked")).isFalse();
  }

  @Test
  @DisplayName("with the signed status list and its bit set, the credential is revoked")
  void revoked() throws Exception {
    BitSet revoked = new BitSet();
    revoked.set(INDEX);

    JsonObject result = verify(TestCredentials.signed(PROOFS, signer, INDEX), statusList(revoked));

    assertThat(result.getBoolean("verified")).as(result.encode()).isTrue();
    assertThat(result.getBoolean("revoked")).isTrue();
  }

  @Test
  @DisplayName("a status list whose bits were altered after signing is rejected")
  void tamperedStatusList() throws Exception {
    JsonObject list = statusList(new BitSet());
    BitSet forged = new BitSet();
    forged.set(INDEX);
    list.getJsonObject("credentialSubject")
        .put("encodedList", StatusListCredentials.encode(forged));

    JsonObject result = verify(TestCredentials.signed(PROOFS, signer, INDEX), list);

    assertThat(result.getBoolean("verified")).as(result.encode()).isFalse();
    assertThat(result.getValue("revoked")).isNull();
  }

  private JsonObject statusList(BitSet revoked) {
    JsonObject unsigned = StatusListCredentials.unsigned(TestCredentials.STATUS_LIST_URL,
        signer.did(), revoked, Instant.now().minusSeconds(60));
    return PROOFS.sign(unsigned, signer, signer.verificationMethod(), Instant.now());
  }

  private JsonObject verify(JsonObject credential, JsonObject statusListCredential)
      throws IOException, InterruptedException {
    return verifier.verify(credential, statusListCredential);
  }
}
