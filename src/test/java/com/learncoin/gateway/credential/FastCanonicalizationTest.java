package com.learncoin.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.apicatalog.jsonld.JsonLdError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The template fast path yields exactly titanium's canonical N-Quads, or steps aside")
class FastCanonicalizationTest {
  private static final String[] PIECES = {"a", "Z", " ", "\"", "'", "\\", "\n", "\r", "\t",
      "\u0000", "\u0001", "\u001f", "\u007f", "é", "日本", "🎓", "👩‍🔧", "\uD83D", "\uDE00",
      "<b>", "@id", "_:b0", "urn:x-learncoin-slot:0", "https://x.example/", "&amp;", "^^",
      "\u2028", "\u00a0", "*md*", "{", "}", ":", "#", "%20"};
  private static final String[] IRIS = {"urn:uuid:", "https://example.edu/a/", "did:key:z6Mk",
      "did:web:school.example:", "http://x.example/?q=1&r=", "urn:isbn:"};

  private final Canonicalizer canonicalizer = new Canonicalizer(BundledContexts.load());
  private final Random random = new Random(20261127);

  @Test
  @DisplayName("600 generated credentials of varied content: same canonical N-Quads as titanium")
  void generated() throws JsonLdError {
    for (int i = 0; i < 600; i++) {
      JsonObject credential = randomCredential();
      String fast = canonicalizer.canonicalizeFast(credential);
      assertThat(fast).as("fast path taken for %s", credential.encode()).isNotNull();
      assertThat(fast).as("credential %s", credential.encode())
          .isEqualTo(canonicalizer.canonicalizeWithTitanium(credential));
      assertThat(canonicalizer.canonicalize(credential)).isEqualTo(fast);
    }
  }

  @Test
  @DisplayName("an IRI whose scheme is no context term is kept as written, like titanium does")
  void unknownScheme() throws JsonLdError {
    JsonObject credential = randomCredential();
    credential.getJsonObject("credentialSubject").getJsonObject("achievement")
        .getJsonObject("criteria").put("id", "dc:x");
    assertThat(canonicalizer.canonicalizeFast(credential)).isNotNull()
        .isEqualTo(canonicalizer.canonicalizeWithTitanium(credential));
  }

  @Test
  @DisplayName("equal ids in several nodes (merged by JSON-LD) give the same N-Quads too")
  void mergedNodes() throws JsonLdError {
    JsonObject credential = randomCredential();
    String id = credential.getString("id");
    JsonObject subject = credential.getJsonObject("credentialSubject");
    subject.getJsonObject("achievement").put("id", id).put("name", credential.getString("name"));
    subject.put("id", credential.getJsonObject("issuer").getString("id"));
    String fast = canonicalizer.canonicalizeFast(credential);
    assertThat(fast).isNotNull().isEqualTo(canonicalizer.canonicalizeWithTitanium(credential));
  }

  @Test
  @DisplayName("the fixed test credential and the status list credential match titanium")
  void knownDocuments() throws JsonLdError {
    TestEd25519Signer signer = TestEd25519Signer.generate();
    JsonObject credential = TestCredentials.unsigned(signer, 7);
    assertThat(canonicalizer.canonicalizeFast(credential)).isNotNull()
        .isEqualTo(canonicalizer.canonicalizeWithTitanium(credential));
    JsonObject list = StatusListCredentials.unsigned(TestCredentials.STATUS_LIST_URL,
        signer.did(), new java.util.BitSet(), java.time.Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(canonicalizer.canonicalize(list))
        .isEqualTo(canonicalizer.canonicalizeWithTitanium(list));
  }

  @Test
  @DisplayName("other shapes fall back to titanium, with its result or its error")
  void fallbacks() throws JsonLdError {
    fallsBack(c -> c.put("extra", "x"));  // unknown key (an error in safe mode)
    fallsBack(c -> c.put("awardedDate", "2026-01-01T00:00:00Z"));  // a defined key, not ours
    fallsBack(c -> c.put("@context", new JsonArray().add(OpenBadgeCredentials.VC_V2_CONTEXT)
        .add(OpenBadgeCredentials.OB_V3_CONTEXT).add(new JsonObject().put("x", "urn:x"))));
    fallsBack(c -> c.put("@context", "https://unbundled.example/context.json"));
    fallsBack(c -> c.put("name", 42));
    fallsBack(c -> c.put("name", true));
    fallsBack(c -> c.putNull("name"));
    fallsBack(c -> c.put("name", new JsonObject().put("@value", "x").put("@language", "en")));
    fallsBack(c -> c.put("name", new JsonObject().put("en", "x").put("fr", "y")));
    fallsBack(c -> c.put("name", new JsonArray().add("x").add("y")));
    fallsBack(c -> c.getJsonObject("credentialSubject").put("@context", new JsonObject()));
    fallsBack(c -> c.getJsonObject("credentialSubject").put("@id", "urn:x:1"));
    // ids that JSON-LD would not keep as written: relative, blank node, keyword, compact IRI
    fallsBack(c -> c.put("id", "relative/path"));
    fallsBack(c -> c.put("id", ""));
    fallsBack(c -> c.put("id", "_:b0"));
    fallsBack(c -> c.put("id", "@type"));
    fallsBack(c -> c.put("id", "urn:with space"));
    fallsBack(c -> c.put("id", "https://例え.jp/"));
    fallsBack(c -> c.getJsonObject("issuer").put("id", "Achievement:x"));
    fallsBack(c -> c.getJsonObject("issuer").put("id", "id:x"));
    fallsBack(c -> c.getJsonObject("credentialSubject").getJsonObject("achievement")
        .getJsonObject("criteria").put("id", "Criteria:x"));
    // other types
    fallsBack(c -> c.getJsonObject("issuer").put("type", new JsonArray().add("Profile")
        .add("Bogus")));
    fallsBack(c -> c.getJsonObject("issuer").put("type", 3));
  }

  /** Not fast; the full path's outcome (N-Quads or error) is what canonicalize() gives. */
  private void fallsBack(Consumer<JsonObject> change) {
    JsonObject credential = randomCredential();
    change.accept(credential);
    String fast = canonicalizer.canonicalizeFast(credential);
    String full;
    try {
      full = canonicalizer.canonicalizeWithTitanium(credential);
    } catch (JsonLdError | RuntimeException e) {
      assertThat(fast).as("fast path for %s", credential.encode()).isNull();
      assertThatThrownBy(() -> canonicalizer.canonicalize(credential))
          .isInstanceOf(e.getClass());
      return;
    }
    if (fast != null) {  // a shape it does take after all: then it must agree
      assertThat(fast).isEqualTo(full);
    }
    try {
      assertThat(canonicalizer.canonicalize(credential)).isEqualTo(full);
    } catch (JsonLdError e) {
      throw new AssertionError(e);
    }
    assertThat(fast).as("fast path for %s", credential.encode()).isNull();
  }

  private JsonObject randomCredential() {
    JsonObject achievement = new JsonObject()
        .put("name", text())
        .put("description", text());
    if (random.nextBoolean()) {
      achievement.put("id", iri());
    }
    JsonObject criteria = new JsonObject();
    switch (random.nextInt(4)) {
      case 0 -> criteria.put("narrative", text());
      case 1 -> criteria.put("id", iri());
      case 2 -> criteria.put("id", iri()).put("narrative", text());
      default -> { }
    }
    achievement.put("criteria", criteria);
    int alignments = random.nextInt(4);
    if (alignments > 0 || random.nextBoolean()) {
      JsonArray list = new JsonArray();
      for (int i = 0; i < alignments; i++) {
        JsonObject alignment = new JsonObject().put("targetName", text())
            .put("targetUrl", iri()).put("targetFramework", text());
        if (random.nextBoolean()) {
          alignment.put("targetCode", text());
        }
        if (random.nextBoolean()) {
          alignment.put("targetDescription", text());
        }
        list.add(alignment);
      }
      achievement.put("alignment", list);
    }
    JsonObject input = new JsonObject()
        .put("recipient", new JsonObject().put("id", "urn:uuid:" + UUID.randomUUID()))
        .put("issuanceDate", date())
        .put("achievement", achievement);
    if (random.nextBoolean()) {
      input.put("expirationDate", date());
    }
    OpenBadgeCredentials.Issuer issuer = new OpenBadgeCredentials.Issuer(iri(), text());
    JsonObject status = random.nextInt(4) == 0 ? null
        : StatusListCredentials.entry(iri(), random.nextInt(1000));
    return OpenBadgeCredentials.build(input, issuer, "urn:uuid:" + UUID.randomUUID(), status);
  }

  private String text() {
    int length = random.nextInt(12);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)]
          : Character.toString('a' + random.nextInt(26)));
    }
    return out.toString();
  }

  private String iri() {
    return IRIS[random.nextInt(IRIS.length)] + UUID.randomUUID()
        + (random.nextBoolean() ? "#" + random.nextInt(100) : "");
  }

  private String date() {
    return String.format("%04d-%02d-%02dT%02d:%02d:%02d%s", 2000 + random.nextInt(40),
        1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60),
        random.nextInt(60), random.nextBoolean() ? "Z" : "+02:00");
  }
}
