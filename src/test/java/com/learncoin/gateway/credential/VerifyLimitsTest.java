package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VerifyLimits: statements, blank nodes, canonicalization steps and a deadline")
class VerifyLimitsTest {
  private final TestEd25519Signer signer = TestEd25519Signer.generate();

  /** A signed credential of ours with its subject replaced by a clique of n blank nodes. */
  private JsonObject clique(int n) {
    JsonArray nodes = TestCredentials.blankNodeClique(n);
    return TestCredentials.signed(new DataIntegrityProofs(), signer, 3)
        .put("credentialSubject", nodes);
  }

  @Test
  @DisplayName("the deadline stops RDFC-1.0 itself: a clique of 10 ends within seconds")
  void deadline() {
    DataIntegrityProofs proofs = new DataIntegrityProofs(
        new VerifyLimits(1_000, 100_000, Long.MAX_VALUE, 300));
    long started = System.nanoTime();
    assertThatThrownBy(() -> proofs.verify(clique(10), signer.publicKey()))
        .isInstanceOf(VerifyLimitException.class)
        .hasMessage("credential could not be verified within 300 ms; verification stops there");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("the step budget refuses a clique of 7 and lets a clique of 5 be checked")
  void steps() {
    DataIntegrityProofs proofs = new DataIntegrityProofs(
        new VerifyLimits(1_000, 100_000, 250_000, 60_000));
    assertThatThrownBy(() -> proofs.verify(clique(7), signer.publicKey()))
        .isInstanceOf(VerifyLimitException.class)
        .hasMessageStartingWith("credential needs more than 250000 steps of RDFC-1.0");
    assertThat(proofs.verify(clique(5), signer.publicKey()).reason())
        .contains("signature does not match");
  }

  @Test
  @DisplayName("statements and blank nodes are counted before any canonicalization")
  void sizes() {
    JsonObject signed = TestCredentials.signed(new DataIntegrityProofs(), signer, 3);
    assertThatThrownBy(() -> new DataIntegrityProofs(new VerifyLimits(1_000, 10, 1_000, 1_000))
        .verify(signed, signer.publicKey()))
        .isInstanceOf(VerifyLimitException.class)
        .hasMessageMatching("credential has \\d+ RDF statements; at most 10 are verified");
    assertThatThrownBy(() -> new DataIntegrityProofs(new VerifyLimits(2, 1_000, 1_000, 1_000))
        .statements(signed))
        .isInstanceOf(VerifyLimitException.class)
        .hasMessage("credential has 3 blank nodes; at most 2 are verified");
  }

  @Test
  @DisplayName("a hostile proof is bounded too, and named credential.proof")
  void proofOptions() {
    JsonObject signed = TestCredentials.signed(new DataIntegrityProofs(), signer, 3);
    DataIntegrityProofs.onlyProof(signed).put("https://example.org/knows", clique(8)
        .getJsonArray("credentialSubject"));
    assertThatThrownBy(() -> new DataIntegrityProofs(
        new VerifyLimits(1_000, 100_000, 250_000, 60_000)).verify(signed, signer.publicKey()))
        .isInstanceOf(VerifyLimitException.class)
        .hasMessageStartingWith("credential.proof ");
  }

  @Test
  @DisplayName("signing never takes the bounds: tight limits still sign and verify our credential")
  void signingUnbounded() {
    DataIntegrityProofs tight = new DataIntegrityProofs(new VerifyLimits(1, 1, 1_000, 10));
    JsonObject signed = tight.sign(TestCredentials.unsigned(signer, 9), signer,
        signer.verificationMethod(), Instant.now());
    assertThat(new DataIntegrityProofs(new VerifyLimits(10, 100, 1_000, 5_000))
        .verify(signed, signer.publicKey()).verified()).isTrue();
  }
}
