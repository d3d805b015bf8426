package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("eddsa-rdfc-2022 Data Integrity proofs, did:key and status lists")
class DataIntegrityProofsTest {
  private static final DataIntegrityProofs PROOFS = new DataIntegrityProofs();
  private final TestEd25519Signer signer = TestEd25519Signer.generate();

  @Test
  @DisplayName("a signed credential verifies with the signing key and carries a complete proof")
  void signVerifyRoundTrip() {
    JsonObject unsigned = TestCredentials.unsigned(signer, 7);
    JsonObject signed = PROOFS.sign(unsigned, signer, signer.verificationMethod(),
        Instant.parse("2025-02-03T04:05:06.789Z"));

    assertThat(PROOFS.verify(signed, signer.publicKey()))
        .isEqualTo(new DataIntegrityProofs.Verification(true, "ok"));
    JsonObject proof = DataIntegrityProofs.onlyProof(signed);
    assertThat(proof.fieldNames()).containsExactly("type", "cryptosuite", "created",
        "verificationMethod", "proofPurpose", "proofValue");
    assertThat(proof.getString("type")).isEqualTo("DataIntegrityProof");
    assertThat(proof.getString("cryptosuite")).isEqualTo("eddsa-rdfc-2022");
    assertThat(proof.getString("created")).isEqualTo("2025-02-03T04:05:06Z");
    assertThat(proof.getString("verificationMethod")).isEqualTo(signer.verificationMethod());
    assertThat(proof.getString("proofPurpose")).isEqualTo("assertionMethod");
    assertThat(Multibase.decodeBase58btc(proof.getString("proofValue"))).hasSize(64);
    assertThat(unsigned.containsKey("proof")).as("sign returns a copy").isFalse();
  }

  @Test
  @DisplayName("the proof is a set of one (1EdTech's schema); a single object (our earlier form) verifies too")
  void proofSetOfOne() {
    JsonObject signed = PROOFS.sign(TestCredentials.unsigned(signer, 3), signer,
        signer.verificationMethod(), Instant.parse("2025-02-03T04:05:06Z"));
    assertThat(signed.getJsonArray("proof")).hasSize(1);
    JsonObject earlier = signed.copy().put("proof", signed.getJsonArray("proof").getJsonObject(0));
    assertThat(PROOFS.verify(earlier, signer.publicKey()).verified()).isTrue();
    JsonObject two = signed.copy();
    two.getJsonArray("proof").add(two.getJsonArray("proof").getJsonObject(0).copy());
    assertThat(PROOFS.verify(two, signer.publicKey()).reason())
        .isEqualTo("proof must be one JSON object, or an array of one");
  }

  @Test
  @DisplayName("changing a subject field, the status index or the proof breaks verification")
  void tamperingFails() {
    JsonObject signed = TestCredentials.signed(PROOFS, signer, 7);

    JsonObject renamed = signed.copy();
    renamed.getJsonObject("credentialSubject").getJsonObject("achievement")
        .put("name", "Welding Level 3");
    JsonObject otherSubject = signed.copy();
    otherSubject.getJsonObject("credentialSubject")
        .put("id", "urn:uuid:9f5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b99");
    JsonObject otherIndex = signed.copy();
    otherIndex.getJsonObject("credentialStatus").put("statusListIndex", "8");
    JsonObject backdated = signed.copy();
    DataIntegrityProofs.onlyProof(backdated).put("created", "2020-01-01T00:00:00Z");

    for (JsonObject tampered : List.of(renamed, otherSubject, otherIndex, backdated)) {
      DataIntegrityProofs.Verification result = PROOFS.verify(tampered, signer.publicKey());
      assertThat(result.verified()).isFalse();
      assertThat(result.reason()).contains("signature does not match");
    }
  }

  @Test
  @DisplayName("another key, another cryptosuite or a missing proof fail, saying why")
  void rejectsWithReasons() {
    JsonObject signed = TestCredentials.signed(PROOFS, signer, 1);

    byte[] otherKey = TestEd25519Signer.generate().publicKey();
    assertThat(PROOFS.verify(signed, otherKey).reason()).contains("is not the given key");
    JsonObject otherMethod = signed.copy();
    DataIntegrityProofs.onlyProof(otherMethod).put("verificationMethod", "https://example.org/keys/1");
    assertThat(PROOFS.verify(otherMethod, otherKey).reason()).contains("signature does not match");

    JsonObject otherSuite = signed.copy();
    DataIntegrityProofs.onlyProof(otherSuite).put("cryptosuite", "ecdsa-rdfc-2019");
    assertThat(PROOFS.verify(otherSuite, signer.publicKey()).reason())
        .contains("unsupported cryptosuite");

    JsonObject unsignedCopy = signed.copy();
    unsignedCopy.remove("proof");
    assertThat(PROOFS.verify(unsignedCopy, signer.publicKey()).reason()).contains("no proof");
  }

  @Test
  @DisplayName("a document naming a context that is not bundled is refused, never fetched")
  void unknownContext() {
    JsonObject unsigned = TestCredentials.unsigned(signer, 1);
    unsigned.getJsonArray("@context").add("https://example.org/contexts/extra.json");

    assertThatThrownBy(() -> PROOFS.sign(unsigned, signer, signer.verificationMethod(),
        Instant.now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://example.org/contexts/extra.json")
        .hasMessageContaining("not bundled");
  }

  @Test
  @DisplayName("one instance signs on many threads at once, and every credential verifies")
  void parallelSigning() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<JsonObject>> futures = IntStream.range(0, 200)
          .mapToObj(i -> pool.submit(() -> TestCredentials.signed(PROOFS, signer, i)))
          .toList();
      for (Future<JsonObject> future : futures) {
        assertThat(PROOFS.verify(future.get(), signer.publicKey()).verified()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("did:key encodes the key as Digital Bazaar's ed25519-multikey does, and back")
  void didKeyRoundTrip() {
    // Seed 00..1f: the public key and multibase below come from @digitalbazaar/ed25519-multikey.
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) i;
    }
    byte[] publicKey = TestEd25519Signer.fromSeed(seed).publicKey();
    assertThat(HexFormat.of().formatHex(publicKey))
        .isEqualTo("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
    String did = "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd";

    assertThat(DidKey.fromEd25519(publicKey)).isEqualTo(did);
    assertThat(DidKey.verificationMethod(publicKey))
        .isEqualTo(did + "#z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd");
    assertThat(DidKey.publicKeyOf(did)).isEqualTo(publicKey);
    assertThat(DidKey.publicKeyOf(DidKey.verificationMethod(publicKey))).isEqualTo(publicKey);
    assertThatThrownBy(() -> DidKey.publicKeyOf("did:web:example.org"))
        .isInstanceOf(IllegalArgumentException.class);

    JsonObject document = DidKey.didDocument("did:web:example.org", publicKey);
    String methodId = "did:web:example.org#z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd";
    assertThat(document.getJsonArray("@context")).isEqualTo(new JsonArray()
        .add("https://www.w3.org/ns/did/v1").add("https://w3id.org/security/multikey/v1"));
    assertThat(document.getJsonArray("verificationMethod").getJsonObject(0)).isEqualTo(
        new JsonObject().put("id", methodId).put("type", "Multikey")
            .put("controller", "did:web:example.org")
            .put("publicKeyMultibase", "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"));
    assertThat(document.getJsonArray("assertionMethod")).containsExactly(methodId);

    // What @digitalbazaar/did-method-key 5.3 (Ed25519 Multikey driver) resolves this did:key to.
    String vm = did + "#z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd";
    assertThat(DidKey.didDocument(did, publicKey)).isEqualTo(new JsonObject()
        .put("@context", new JsonArray().add("https://www.w3.org/ns/did/v1")
            .add("https://w3id.org/security/multikey/v1"))
        .put("id", did)
        .put("verificationMethod", new JsonArray().add(new JsonObject().put("id", vm)
            .put("type", "Multikey").put("controller", did)
            .put("publicKeyMultibase", "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd")))
        .put("authentication", new JsonArray().add(vm))
        .put("assertionMethod", new JsonArray().add(vm))
        .put("capabilityDelegation", new JsonArray().add(vm))
        .put("capabilityInvocation", new JsonArray().add(vm)));
  }

  @Test
  @DisplayName("multibase base58btc keeps leading zero bytes and base64url has no padding")
  void multibase() {
    byte[] bytes = {0, 0, 1, 2, (byte) 0xff, 0x10};
    assertThat(Multibase.encodeBase58btc(bytes)).startsWith("z11");
    assertThat(Multibase.decode(Multibase.encodeBase58btc(bytes))).isEqualTo(bytes);
    assertThat(Multibase.encodeBase58btc("hello world".getBytes())).isEqualTo("zStV1DL6CwTryKyV");
    assertThat(Multibase.encodeBase64url(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("u-_8");
    assertThat(Multibase.decode("u-_8")).isEqualTo(new byte[] {(byte) 0xfb, (byte) 0xff});
    assertThatThrownBy(() -> Multibase.decode("f00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Multibase.decodeBase58btc("z0OIl"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a status list round-trips bits 0, 7, 8 and 131071, left-most bit first, full size")
  void statusListRoundTrip() {
    BitSet revoked = new BitSet();
    revoked.set(0);
    revoked.set(7);
    revoked.set(8);
    revoked.set(131_071);

    String encoded = StatusListCredentials.encode(revoked);

    assertThat(encoded).startsWith("u").doesNotContain("=");
    assertThat(StatusListCredentials.decode(encoded)).isEqualTo(revoked);
    byte[] raw = StatusListCredentials.decodeBytes(encoded);
    assertThat(raw.length * 8).isGreaterThanOrEqualTo(StatusListCredentials.SIZE);
    assertThat(raw[0]).isEqualTo((byte) 0x81);
    assertThat(raw[1]).isEqualTo((byte) 0x80);
    assertThat(raw[raw.length - 1]).isEqualTo((byte) 0x01);
    assertThat(StatusListCredentials.decode(StatusListCredentials.encode(new BitSet())).isEmpty())
        .isTrue();
  }

  @Test
  @DisplayName("a status entry and a signed status list credential have the spec's shape")
  void statusListCredential() {
    assertThat(StatusListCredentials.entry("https://gw.example/status/sl_1", 42)).isEqualTo(
        new JsonObject().put("id", "https://gw.example/status/sl_1#42")
            .put("type", "BitstringStatusListEntry").put("statusPurpose", "revocation")
            .put("statusListIndex", "42")
            .put("statusListCredential", "https://gw.example/status/sl_1"));
    assertThatThrownBy(() -> StatusListCredentials.entry("https://gw.example/status/sl_1", 131_072))
        .isInstanceOf(IllegalArgumentException.class);

    JsonObject list = StatusListCredentials.unsigned("https://gw.example/status/sl_1",
        signer.did(), new BitSet(), Instant.parse("2025-03-01T12:00:00.5Z"));
    assertThat(list.getJsonArray("type"))
        .containsExactly("VerifiableCredential", "BitstringStatusListCredential");
    assertThat(list.getString("validFrom")).isEqualTo("2025-03-01T12:00:00Z");
    JsonObject subject = list.getJsonObject("credentialSubject");
    assertThat(subject.getString("id")).isEqualTo("https://gw.example/status/sl_1#list");
    assertThat(subject.getString("type")).isEqualTo("BitstringStatusList");
    assertThat(subject.getString("statusPurpose")).isEqualTo("revocation");

    JsonObject signed = PROOFS.sign(list, signer, signer.verificationMethod(), Instant.now());
    assertThat(PROOFS.verify(signed, signer.publicKey()).verified()).isTrue();
  }
}
