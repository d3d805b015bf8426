package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each addition below would fall out of the RDF, so the signature would not cover it; jsonld.js
 * safe mode (Digital Bazaar's verifiers) rejects all of them, and verify() must too.
 */
@DisplayName("verify() rejects unsigned additions that canonicalization would silently drop")
class SafeModeTest {
  private static final DataIntegrityProofs PROOFS = new DataIntegrityProofs();
  private static final TestEd25519Signer SIGNER = TestEd25519Signer.generate();
  private static final JsonObject SIGNED = TestCredentials.signed(PROOFS, SIGNER, 5);

  static Stream<Arguments> additions() {
    return Stream.of(
        addition("an undefined property", "undefined term",
            c -> c.getJsonObject("credentialSubject").put("nickname", "Ada")),
        addition("an undefined credential type", "relative @type",
            c -> c.getJsonArray("type").add("BogusCredential")),
        addition("an undefined subject type", "relative @type",
            c -> c.getJsonObject("credentialSubject").getJsonArray("type").add("Bogus")),
        addition("a relative image reference", "relative @id",
            c -> achievement(c).put("image", "badge.png")),
        addition("a relative criteria id", "relative @id",
            c -> achievement(c).getJsonObject("criteria").put("id", "criteria/1")),
        addition("a malformed language tag", "malformed @language",
            c -> c.put("description", new JsonObject().put("@value", "x")
                .put("@language", "not a tag!"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("additions")
  @DisplayName("an addition the verifiers' safe mode rejects")
  void rejected(String what, String reason, Consumer<JsonObject> edit) {
    JsonObject tampered = SIGNED.copy();
    edit.accept(tampered);

    DataIntegrityProofs.Verification result = PROOFS.verify(tampered, SIGNER.publicKey());

    assertThat(result.verified()).isFalse();
    assertThat(result.reason()).startsWith("canonicalization failed").containsIgnoringCase(reason);
    assertThat(PROOFS.verify(SIGNED, SIGNER.publicKey()).verified()).isTrue();
  }

  private static Arguments addition(String what, String reason, Consumer<JsonObject> edit) {
    return Arguments.of(what, reason, edit);
  }

  private static JsonObject achievement(JsonObject credential) {
    return credential.getJsonObject("credentialSubject").getJsonObject("achievement");
  }
}
