package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An accepted batch credential becomes an Open Badges 3.0 OpenBadgeCredential")
class OpenBadgeCredentialsTest {
  private static final String ID = "urn:uuid:11111111-2222-4333-8444-555555555555";
  private final TestEd25519Signer signer = TestEd25519Signer.generate();

  @Test
  @DisplayName("it has the VC 2.0 and OB 3.0.3 contexts, the issuer profile, validity and status")
  void shape() {
    JsonObject status = StatusListCredentials.entry(TestCredentials.STATUS_LIST_URL, 3);
    JsonObject credential = OpenBadgeCredentials.build(TestCredentials.input(),
        TestCredentials.issuer(signer), ID, status);

    assertThat(credential.getJsonArray("@context")).containsExactly(
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    assertThat(credential.getString("id")).isEqualTo(ID);
    assertThat(credential.getJsonArray("type"))
        .containsExactly("VerifiableCredential", "OpenBadgeCredential");
    assertThat(credential.getJsonObject("issuer")).isEqualTo(new JsonObject()
        .put("id", signer.did()).put("type", new JsonArray().add("Profile"))
        .put("name", "Example University"));
    assertThat(credential.getString("validFrom")).isEqualTo("2025-01-27T08:00:00Z");
    assertThat(credential.getString("validUntil")).isEqualTo("2035-01-01T00:00:00Z");
    assertThat(credential.getString("name")).isEqualTo("Welding Level 1");
    assertThat(credential.getJsonObject("credentialStatus")).isEqualTo(status);

    JsonObject subject = credential.getJsonObject("credentialSubject");
    assertThat(subject.getString("id")).isEqualTo("urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21");
    assertThat(subject.getJsonArray("type")).containsExactly("AchievementSubject");
    JsonObject achievement = subject.getJsonObject("achievement");
    assertThat(achievement.getString("id")).isEqualTo("https://example.edu/achievements/welding-1");
    assertThat(achievement.getJsonArray("type")).containsExactly("Achievement");
    assertThat(achievement.getJsonObject("criteria"))
        .isEqualTo(new JsonObject().put("narrative", "Pass the *practical* exam."));
    assertThat(achievement.getJsonArray("alignment").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("type", new JsonArray().add("Alignment"))
        .put("targetName", "weld metal parts")
        .put("targetUrl", "https://esco.ec.europa.eu/en/skill/1")
        .put("targetFramework", "ESCO")
        .put("targetCode", "S6.2.1"));
  }

  @Test
  @DisplayName("the recipient's name and email stay out of the credential")
  void noPersonalData() {
    String encoded = OpenBadgeCredentials.build(TestCredentials.input(),
        TestCredentials.issuer(signer), ID, null).encode();

    assertThat(encoded).doesNotContain("Ada Lovelace").doesNotContain("ada@example.org")
        .doesNotContain("credentialStatus");
  }

  @Test
  @DisplayName("without an achievement id, one is derived from the credential id, stably")
  void derivedAchievementId() {
    JsonObject input = TestCredentials.input();
    input.getJsonObject("achievement").remove("id");
    input.remove("expirationDate");

    JsonObject first = OpenBadgeCredentials.build(input, TestCredentials.issuer(signer), ID, null);
    JsonObject again = OpenBadgeCredentials.build(input, TestCredentials.issuer(signer), ID, null);
    JsonObject other = OpenBadgeCredentials.build(input, TestCredentials.issuer(signer),
        "urn:uuid:21111111-2222-4333-8444-555555555555", null);

    String id = achievementId(first);
    assertThat(id).startsWith("urn:uuid:").isEqualTo(achievementId(again));
    assertThat(achievementId(other)).isNotEqualTo(id);
    assertThat(first.containsKey("validUntil")).isFalse();
  }

  @Test
  @DisplayName("every term it emits is defined by the bundled contexts: safe-mode RDFC keeps all")
  void everyTermDefined() throws Exception {
    JsonObject credential = OpenBadgeCredentials.build(TestCredentials.input(),
        TestCredentials.issuer(signer), ID,
        StatusListCredentials.entry(TestCredentials.STATUS_LIST_URL, 3));

    String nquads = new Canonicalizer(BundledContexts.load()).canonicalize(credential);

    assertThat(nquads)
        .contains("<https://schema.org/targetName> \"weld metal parts\"")
        .contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetCode> \"S6.2.1\"")
        .contains("<https://schema.org/targetDescription> \"Workshop safety\"")
        .contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative>")
        .contains("<https://www.w3.org/ns/credentials/status#statusListIndex> \"3\"")
        .contains("<https://www.w3.org/2018/credentials#validUntil>")
        .contains("\"Welds \\\"safely\\\":\\n\\ttabs, é, 日本, 🎓, back\\\\slash\"")
        .doesNotContain("issuer-dependent");
    assertThat(nquads.lines()).hasSize(33);
  }

  private static String achievementId(JsonObject credential) {
    return credential.getJsonObject("credentialSubject").getJsonObject("achievement")
        .getString("id");
  }
}
