package com.learncoin.gateway.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.learncoin.gateway.auth.ApiKey;
import com.learncoin.gateway.auth.Plan;
import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.http.ApiException;
import com.learncoin.gateway.support.Batches;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BatchValidator called directly: every rejection with its exact code and a message that starts
 * with the JSON path it names, the order in which rules apply, and the shapes it accepts.
 */
@DisplayName("BatchValidator: the validation table of POST /v1/batches, without a gateway")
class BatchValidatorTest {
  private static final ApiKey TEST_INDUSTRY = key(Plan.INDUSTRY, "test");
  private static final ApiKey TEST_STARTER = key(Plan.STARTER, "test");
  private static final ApiKey LIVE_INSTITUTION = key(Plan.INSTITUTION, "live");
  private static final ApiKey LIVE_STARTER = key(Plan.STARTER, "live");

  private static ApiKey key(Plan plan, String environment) {
    return new ApiKey("key_unit", "ten_unit", plan, environment, false, List.of());
  }

  // --- the body and the credentials array ---

  static Stream<Arguments> notJson() {
    return Stream.of(
        Arguments.of("empty", Buffer.buffer(), "The request body must be a JSON object; it was empty."),
        Arguments.of("truncated", Buffer.buffer("{\"credentials\": ["),
            "The request body is not valid JSON (at most 1000 levels deep)."),
        Arguments.of("an array", Buffer.buffer("[1,2]"), "The request body must be a JSON object."),
        Arguments.of("null", Buffer.buffer("null"), "The request body must be a JSON object."),
        Arguments.of("a string", Buffer.buffer("\"credentials\""),
            "The request body must be a JSON object."),
        Arguments.of("overlong UTF-8", Buffer.buffer(new byte[] {'{', '"', (byte) 0xC0, (byte) 0x80,
            '"', ':', '1', '}'}), "The request body is not valid UTF-8."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJson")
  @DisplayName("a body that is not a JSON object in UTF-8 is invalid_json")
  void invalidJson(String what, Buffer body, String message) {
    assertThatThrownBy(() -> BatchValidator.validate(body, TEST_INDUSTRY))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error()).isEqualTo(ApiError.INVALID_JSON);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  @Test
  @DisplayName("a null body is invalid_json too")
  void nullBody() {
    rejects(null, TEST_INDUSTRY, ApiError.INVALID_JSON, "The request body");
  }

  @Test
  @DisplayName("a NUL character in any string is invalid_field_format naming its path")
  void nulCharacter() {
    JsonObject batch = Batches.of(2);
    credential(batch, 1).getJsonObject("recipient").put("name", "Ada\u0000Lovelace");
    rejects(batch, TEST_INDUSTRY, ApiError.INVALID_FIELD_FORMAT, "credentials[1].recipient.name");
  }

  @Test
  @DisplayName("credentials absent or null is missing_required_field")
  void credentialsMissing() {
    rejects(new JsonObject(), TEST_INDUSTRY, ApiError.MISSING_REQUIRED_FIELD, "credentials");
    rejects(new JsonObject().putNull("credentials"), TEST_INDUSTRY,
        ApiError.MISSING_REQUIRED_FIELD, "credentials");
    assertThat(message(new JsonObject(), TEST_INDUSTRY))
        .isEqualTo("credentials is required: an array of 1 to 500 credentials.");
  }

  @ParameterizedTest(name = "credentials = {0}")
  @ValueSource(strings = {"\"x\"", "42", "{}", "true"})
  @DisplayName("credentials that is not an array is invalid_field_format")
  void credentialsNotArray(String value) {
    Buffer body = Buffer.buffer("{\"credentials\": " + value + "}");
    assertThatThrownBy(() -> BatchValidator.validate(body, TEST_INDUSTRY))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error()).isEqualTo(ApiError.INVALID_FIELD_FORMAT);
          assertThat(e.getMessage()).isEqualTo("credentials must be an array.");
        });
  }

  @Test
  @DisplayName("an empty credentials array is missing_required_field")
  void credentialsEmpty() {
    rejects(new JsonObject().put("credentials", new JsonArray()), TEST_INDUSTRY,
        ApiError.MISSING_REQUIRED_FIELD, "credentials");
  }

  @Test
  @DisplayName("501 credentials is batch_too_large naming the count, checked before any credential")
  void batchTooLarge() {
    JsonArray junk = new JsonArray();
    for (int i = 0; i < 501; i++) {
      junk.add("not a credential");
    }
    JsonObject batch = new JsonObject().put("credentials", junk);
    rejects(batch, TEST_INDUSTRY, ApiError.BATCH_TOO_LARGE, "credentials");
    assertThat(message(batch, TEST_INDUSTRY)).contains("501").contains("500");
    rejects(Batches.of(501), TEST_INDUSTRY, ApiError.BATCH_TOO_LARGE, "credentials");
  }

  @Test
  @DisplayName("exactly 500 credentials is accepted")
  void fiveHundred() {
    assertThat(validate(Batches.of(500), TEST_INDUSTRY).credentials()).hasSize(500);
  }

  // --- one broken credential ---

  static Stream<Arguments> brokenCredentials() {
    return Stream.of(
        // required fields
        broken("recipient absent", ApiError.MISSING_REQUIRED_FIELD, "credentials[1].recipient.id",
            c -> c.remove("recipient")),
        broken("recipient null", ApiError.MISSING_REQUIRED_FIELD, "credentials[1].recipient.id",
            c -> c.putNull("recipient")),
        broken("recipient.id absent", ApiError.MISSING_REQUIRED_FIELD, "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").remove("id")),
        broken("issuanceDate absent", ApiError.MISSING_REQUIRED_FIELD, "credentials[1].issuanceDate",
            c -> c.remove("issuanceDate")),
        broken("achievement absent", ApiError.MISSING_REQUIRED_FIELD, "credentials[1].achievement",
            c -> c.remove("achievement")),
        broken("achievement.name absent", ApiError.MISSING_REQUIRED_FIELD,
            "credentials[1].achievement.name", c -> achievement(c).remove("name")),
        broken("achievement.description absent", ApiError.MISSING_REQUIRED_FIELD,
            "credentials[1].achievement.description", c -> achievement(c).remove("description")),
        broken("achievement.criteria absent", ApiError.MISSING_REQUIRED_FIELD,
            "credentials[1].achievement.criteria", c -> achievement(c).remove("criteria")),
        broken("alignment targetName absent", ApiError.MISSING_REQUIRED_FIELD,
            "credentials[1].achievement.alignment[0].targetName", c -> alignment(c).remove("targetName")),
        broken("alignment targetUrl absent", ApiError.MISSING_REQUIRED_FIELD,
            "credentials[1].achievement.alignment[0].targetUrl", c -> alignment(c).remove("targetUrl")),
        broken("alignment targetFramework absent", ApiError.MISSING_REQUIRED_FIELD,
            "credentials[1].achievement.alignment[0].targetFramework",
            c -> alignment(c).remove("targetFramework")),
        // the recipient id
        broken("recipient.id not a urn:uuid", ApiError.RECIPIENT_ID_INVALID, "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "mailto:ada@example.org")),
        broken("recipient.id a version-1 UUID", ApiError.RECIPIENT_ID_INVALID,
            "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "urn:uuid:c232ab00-9414-11ec-b3c8-9f6bdeced846")),
        broken("recipient.id with a bad variant", ApiError.RECIPIENT_ID_INVALID,
            "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "urn:uuid:0b5d0c5e-3f8e-4b8a-cd6e-2f4c1f0a7b21")),
        broken("recipient.id a bare UUID", ApiError.RECIPIENT_ID_INVALID, "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21")),
        broken("recipient.id with trailing text", ApiError.RECIPIENT_ID_INVALID,
            "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21x")),
        broken("recipient.id a number", ApiError.INVALID_FIELD_FORMAT, "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", 42)),
        broken("recipient.id empty", ApiError.INVALID_FIELD_FORMAT, "credentials[1].recipient.id",
            c -> c.getJsonObject("recipient").put("id", "")),
        // formats and types
        broken("credential a string", ApiError.INVALID_FIELD_FORMAT, "credentials[1]",
            c -> c.clear().put("__replace", "x")),
        broken("recipient a string", ApiError.INVALID_FIELD_FORMAT, "credentials[1].recipient",
            c -> c.put("recipient", "ada")),
        broken("recipient.name empty", ApiError.INVALID_FIELD_FORMAT, "credentials[1].recipient.name",
            c -> c.getJsonObject("recipient").put("name", "")),
        broken("recipient.name over 10,000 characters", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].recipient.name",
            c -> c.getJsonObject("recipient").put("name", "a".repeat(10_001))),
        broken("recipient.email a number", ApiError.INVALID_FIELD_FORMAT, "credentials[1].recipient.email",
            c -> c.getJsonObject("recipient").put("email", 7)),
        broken("issuanceDate without offset", ApiError.INVALID_FIELD_FORMAT, "credentials[1].issuanceDate",
            c -> c.put("issuanceDate", "2026-11-27T10:00:00")),
        broken("issuanceDate with a decimal point but no fraction digits", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].issuanceDate", c -> c.put("issuanceDate", "2026-11-27T10:00:00.Z")),
        broken("issuanceDate a date only", ApiError.INVALID_FIELD_FORMAT, "credentials[1].issuanceDate",
            c -> c.put("issuanceDate", "2026-11-27")),
        broken("issuanceDate 30 February", ApiError.INVALID_FIELD_FORMAT, "credentials[1].issuanceDate",
            c -> c.put("issuanceDate", "2026-02-30T10:00:00Z")),
        broken("issuanceDate a number", ApiError.INVALID_FIELD_FORMAT, "credentials[1].issuanceDate",
            c -> c.put("issuanceDate", 1_795_000_000)),
        broken("expirationDate not a date", ApiError.INVALID_FIELD_FORMAT, "credentials[1].expirationDate",
            c -> c.put("expirationDate", "next year")),
        broken("expirationDate before issuanceDate", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].expirationDate", c -> c.put("expirationDate", "2020-01-01T00:00:00Z")),
        broken("expirationDate equal to issuanceDate", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].expirationDate", c -> c.put("expirationDate", "2026-11-27T11:00:00+01:00")),
        broken("achievement a string", ApiError.INVALID_FIELD_FORMAT, "credentials[1].achievement",
            c -> c.put("achievement", "welding")),
        broken("achievement.id relative", ApiError.INVALID_FIELD_FORMAT, "credentials[1].achievement.id",
            c -> achievement(c).put("id", "achievements/1")),
        broken("achievement.name a number", ApiError.INVALID_FIELD_FORMAT, "credentials[1].achievement.name",
            c -> achievement(c).put("name", 42)),
        broken("achievement.description blank", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.description", c -> achievement(c).put("description", "   ")),
        broken("criteria a string", ApiError.INVALID_FIELD_FORMAT, "credentials[1].achievement.criteria",
            c -> achievement(c).put("criteria", "pass")),
        broken("criteria.narrative a number", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.criteria.narrative",
            c -> achievement(c).getJsonObject("criteria").put("narrative", 1)),
        broken("criteria.id not a URI", ApiError.INVALID_FIELD_FORMAT, "credentials[1].achievement.criteria.id",
            c -> achievement(c).getJsonObject("criteria").put("id", "not a uri")),
        broken("alignment not an array", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment", c -> achievement(c).put("alignment", "ESCO")),
        broken("alignment entry a string", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0]",
            c -> achievement(c).put("alignment", new JsonArray().add("ESCO"))),
        broken("targetName empty", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetName", c -> alignment(c).put("targetName", "")),
        broken("targetUrl relative", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetUrl",
            c -> alignment(c).put("targetUrl", "/skills/welding")),
        broken("targetUrl not http(s)", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetUrl",
            c -> alignment(c).put("targetUrl", "ftp://esco.example/skill")),
        broken("targetUrl a mailto", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetUrl",
            c -> alignment(c).put("targetUrl", "mailto:skills@esco.example")),
        broken("targetUrl without host", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetUrl",
            c -> alignment(c).put("targetUrl", "https:/skills")),
        broken("targetFramework a number", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetFramework",
            c -> alignment(c).put("targetFramework", 3)),
        broken("targetCode a number", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetCode", c -> alignment(c).put("targetCode", 613)),
        broken("targetDescription empty", ApiError.INVALID_FIELD_FORMAT,
            "credentials[1].achievement.alignment[0].targetDescription",
            c -> alignment(c).put("targetDescription", "")),
        // alignment frameworks
        broken("unknown framework", ApiError.ALIGNMENT_FRAMEWORK_UNKNOWN,
            "credentials[1].achievement.alignment[0].targetFramework",
            c -> alignment(c).put("targetFramework", "SFIA")),
        broken("framework in the wrong case", ApiError.ALIGNMENT_FRAMEWORK_UNKNOWN,
            "credentials[1].achievement.alignment[0].targetFramework",
            c -> alignment(c).put("targetFramework", "esco")),
        broken("unknown framework in the second alignment", ApiError.ALIGNMENT_FRAMEWORK_UNKNOWN,
            "credentials[1].achievement.alignment[1].targetFramework",
            c -> achievement(c).getJsonArray("alignment").add(alignment(c).copy()
                .put("targetFramework", "ONET"))),
        // size
        broken("achievement over 64 KB", ApiError.ACHIEVEMENT_TOO_LARGE, "credentials[1].achievement",
            c -> achievement(c).put("description", "x".repeat(9_000)).put("image", "y".repeat(60_000))));
  }

  @ParameterizedTest(name = "{0} → {1} naming {2}")
  @MethodSource("brokenCredentials")
  @DisplayName("a broken second credential")
  void brokenCredential(String what, ApiError error, String path, Consumer<JsonObject> breakIt) {
    JsonObject batch = Batches.of(3);
    JsonObject second = credential(batch, 1);
    breakIt.accept(second);
    if (second.containsKey("__replace")) {
      batch.getJsonArray("credentials").set(1, second.getValue("__replace"));
    }
    rejects(batch, TEST_INDUSTRY, error, path);
  }

  @ParameterizedTest(name = "credentials[1] = {0}")
  @ValueSource(strings = {"null", "\"x\"", "42", "[]"})
  @DisplayName("a credential that is not an object is invalid_field_format naming its index")
  void credentialNotObject(String value) {
    String first = Batches.credential().encode();
    Buffer body = Buffer.buffer("{\"credentials\": [" + first + ", " + value + "]}");
    assertThatThrownBy(() -> BatchValidator.validate(body, TEST_INDUSTRY))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error()).isEqualTo(ApiError.INVALID_FIELD_FORMAT);
          assertThat(e.getMessage()).isEqualTo("credentials[1] must be a JSON object.");
        });
  }

  @Test
  @DisplayName("the size limit is 65,536 bytes of the achievement as UTF-8 JSON: at it passes, one over fails")
  void achievementSizeBoundary() {
    JsonObject credential = Batches.credential();
    achievement(credential).put("image", "");
    int empty = achievement(credential).toBuffer().length();
    achievement(credential).put("image", "y".repeat(CredentialRules.MAX_ACHIEVEMENT_BYTES - empty));
    assertThat(achievement(credential).toBuffer().length()).isEqualTo(65_536);
    assertThat(validate(Batches.with(credential), TEST_INDUSTRY).credentials()).hasSize(1);

    achievement(credential).put("image", "y".repeat(CredentialRules.MAX_ACHIEVEMENT_BYTES - empty + 1));
    rejects(Batches.with(credential), TEST_INDUSTRY, ApiError.ACHIEVEMENT_TOO_LARGE,
        "credentials[0].achievement");
    assertThat(message(Batches.with(credential), TEST_INDUSTRY))
        .isEqualTo("credentials[0].achievement is 65537 bytes as UTF-8 JSON; the limit is 65536.");
  }

  @Test
  @DisplayName("the size counts UTF-8 bytes, not characters")
  void achievementSizeInBytes() {
    JsonObject credential = Batches.credential();
    achievement(credential).put("image", "");
    int empty = achievement(credential).toBuffer().length();
    int chars = (CredentialRules.MAX_ACHIEVEMENT_BYTES - empty) / 2 + 1;
    achievement(credential).put("image", "é".repeat(chars));
    assertThat(empty + chars).isLessThan(CredentialRules.MAX_ACHIEVEMENT_BYTES);
    rejects(Batches.with(credential), TEST_INDUSTRY, ApiError.ACHIEVEMENT_TOO_LARGE,
        "credentials[0].achievement");
  }

  // --- the order of the rules ---

  @Test
  @DisplayName("the first failure wins: a missing field of credential 0 beats a bad id in credential 1")
  void firstCredentialFirst() {
    JsonObject batch = Batches.of(2);
    credential(batch, 1).getJsonObject("recipient").put("id", "x");
    credential(batch, 0).remove("issuanceDate");
    rejects(batch, TEST_INDUSTRY, ApiError.MISSING_REQUIRED_FIELD, "credentials[0].issuanceDate");
  }

  @Test
  @DisplayName("within a credential: required fields, then recipient id, then formats, then frameworks, then size")
  void orderWithinCredential() {
    JsonObject c = Batches.credential();
    c.getJsonObject("recipient").put("id", "x");
    c.put("issuanceDate", "yesterday");
    alignment(c).put("targetFramework", "SFIA");
    achievement(c).put("image", "y".repeat(70_000));
    alignment(c).remove("targetUrl");
    rejects(Batches.with(c), TEST_INDUSTRY, ApiError.MISSING_REQUIRED_FIELD,
        "credentials[0].achievement.alignment[0].targetUrl");
    alignment(c).put("targetUrl", "https://esco.example/skill");
    rejects(Batches.with(c), TEST_INDUSTRY, ApiError.RECIPIENT_ID_INVALID, "credentials[0].recipient.id");
    c.getJsonObject("recipient").put("id", "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21");
    rejects(Batches.with(c), TEST_INDUSTRY, ApiError.INVALID_FIELD_FORMAT, "credentials[0].issuanceDate");
    c.put("issuanceDate", "2026-11-27T10:00:00Z");
    rejects(Batches.with(c), TEST_INDUSTRY, ApiError.ALIGNMENT_FRAMEWORK_UNKNOWN,
        "credentials[0].achievement.alignment[0].targetFramework");
    alignment(c).put("targetFramework", "CUSTOM");
    rejects(Batches.with(c), TEST_INDUSTRY, ApiError.ACHIEVEMENT_TOO_LARGE, "credentials[0].achievement");
    achievement(c).remove("image");
    assertThat(validate(Batches.with(c), TEST_INDUSTRY).credentials()).containsExactly(c);
  }

  @Test
  @DisplayName("credentials are checked before network, network before issuer, issuer's format before the plan, the plan before the environment")
  void orderOfBatchFields() {
    JsonObject batch = Batches.of(1).put("network", "mainnet").put("issuer", "did:key:z6Mk");
    credential(batch, 0).remove("achievement");
    rejects(batch, TEST_STARTER, ApiError.MISSING_REQUIRED_FIELD, "credentials[0].achievement");
    credential(batch, 0).put("achievement", Batches.credential().getJsonObject("achievement"));
    rejects(batch, TEST_STARTER, ApiError.INVALID_FIELD_FORMAT, "network");
    batch.put("network", "base");
    rejects(batch, TEST_STARTER, ApiError.INVALID_FIELD_FORMAT, "issuer");
    batch.put("issuer", "did:web:school.example");
    rejects(batch, TEST_STARTER, ApiError.TIER_REQUIRED, "issuer");
    rejects(batch, TEST_INDUSTRY, ApiError.ENVIRONMENT_MISMATCH, "network");
  }

  // --- network, issuer, plan, environment ---

  @ParameterizedTest(name = "network = {0}")
  @ValueSource(strings = {"\"mainnet\"", "\"Base\"", "\"base-goerli\"", "\"\"", "8453", "[\"base\"]"})
  @DisplayName("a network other than base-sepolia or base is invalid_field_format")
  void unknownNetwork(String network) {
    JsonObject batch = Batches.of(1);
    Buffer body = Buffer.buffer(batch.encode().replaceFirst("^\\{", "{\"network\": " + network + ", "));
    assertThatThrownBy(() -> BatchValidator.validate(body, TEST_INDUSTRY))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error()).isEqualTo(ApiError.INVALID_FIELD_FORMAT);
          assertThat(e.getMessage()).isEqualTo("network must be 'base-sepolia' or 'base'.");
        });
  }

  @Test
  @DisplayName("network base with a test key, or base-sepolia with a live key, is environment_mismatch")
  void environmentMismatch() {
    rejects(Batches.of(1).put("network", "base"), TEST_INDUSTRY, ApiError.ENVIRONMENT_MISMATCH, "network");
    assertThat(message(Batches.of(1).put("network", "base"), TEST_INDUSTRY))
        .isEqualTo("network 'base' needs a lrn_live_ key; this request used a test key.");
    rejects(Batches.of(1).put("network", "base-sepolia"), LIVE_INSTITUTION,
        ApiError.ENVIRONMENT_MISMATCH, "network");
    assertThat(message(Batches.of(1).put("network", "base-sepolia"), LIVE_INSTITUTION))
        .isEqualTo("network 'base-sepolia' needs a lrn_test_ key; this request used a live key.");
  }

  @Test
  @DisplayName("without network, a test key goes to base-sepolia and a live key to base")
  void defaultNetwork() {
    assertThat(validate(Batches.of(1), TEST_INDUSTRY).network()).isEqualTo("base-sepolia");
    assertThat(validate(Batches.of(1), TEST_STARTER).network()).isEqualTo("base-sepolia");
    assertThat(validate(Batches.of(1), LIVE_INSTITUTION).network()).isEqualTo("base");
    assertThat(validate(Batches.of(1), LIVE_STARTER).network()).isEqualTo("base");
    assertThat(validate(Batches.of(1).putNull("network"), LIVE_STARTER).network()).isEqualTo("base");
    assertThat(validate(Batches.of(1).put("network", "base-sepolia"), TEST_INDUSTRY).network())
        .isEqualTo("base-sepolia");
    assertThat(validate(Batches.of(1).put("network", "base"), LIVE_INSTITUTION).network())
        .isEqualTo("base");
  }

  @ParameterizedTest(name = "issuer = {0}")
  @ValueSource(strings = {"\"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\"",
      "\"did:web:\"", "\"did:web:school example\"", "\"https://school.example\"", "\"DID:WEB:school.example\"",
      "42", "[]"})
  @DisplayName("an issuer that is not a did:web DID (nor an object with one) is invalid_field_format")
  void badIssuer(String issuer) {
    Buffer body = Buffer.buffer(Batches.of(1).encode().replaceFirst("^\\{", "{\"issuer\": " + issuer + ", "));
    assertThatThrownBy(() -> BatchValidator.validate(body, TEST_INDUSTRY))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error()).isEqualTo(ApiError.INVALID_FIELD_FORMAT);
          assertThat(e.getMessage())
              .isEqualTo("issuer must be a did:web DID, e.g. did:web:school.example (or an object "
                  + "with that id).");
        });
  }

  @Test
  @DisplayName("inside an achievement only the 64 KB total counts: a 60 KB description is valid")
  void achievementTextsUnbounded() {
    JsonObject credential = Batches.credential();
    achievement(credential).put("description", "d".repeat(60_000))
        .put("name", "n".repeat(2_000));
    achievement(credential).getJsonObject("criteria").put("narrative", "c".repeat(2_000));
    assertThat(validate(Batches.with(credential), TEST_INDUSTRY).credentials()).hasSize(1);
    JsonObject tooLarge = Batches.credential();
    achievement(tooLarge).put("description", "d".repeat(70_000));
    rejects(Batches.with(tooLarge), TEST_INDUSTRY, ApiError.ACHIEVEMENT_TOO_LARGE,
        "credentials[0].achievement");
  }

  @Test
  @DisplayName("issuer may be the VC-style object {\"id\": did:web}; its id is checked and named")
  void issuerObject() {
    JsonObject named = Batches.of(1).put("issuer", new JsonObject()
        .put("id", "did:web:school.example").put("name", "Example School"));
    assertThat(validate(named, LIVE_INSTITUTION).issuer()).isEqualTo("did:web:school.example");
    rejects(named, TEST_STARTER, ApiError.TIER_REQUIRED, "issuer");
    rejects(named, TEST_INDUSTRY, ApiError.ENVIRONMENT_MISMATCH, "issuer");
    rejects(Batches.of(1).put("issuer", new JsonObject().put("id", "https://school.example")),
        LIVE_INSTITUTION, ApiError.INVALID_FIELD_FORMAT, "issuer.id");
    rejects(Batches.of(1).put("issuer", new JsonObject().put("name", "No id")),
        LIVE_INSTITUTION, ApiError.INVALID_FIELD_FORMAT, "issuer.id");
  }

  @Test
  @DisplayName("a custom issuer needs institution or industry: starter is tier_required")
  void tierRequired() {
    JsonObject batch = Batches.of(1).put("issuer", "did:web:school.example");
    rejects(batch, TEST_STARTER, ApiError.TIER_REQUIRED, "issuer");
    assertThat(message(batch, TEST_STARTER)).isEqualTo("issuer (a custom issuer DID) needs the "
        + "institution or industry plan; this tenant is on starter.");
    rejects(batch, TEST_INDUSTRY, ApiError.ENVIRONMENT_MISMATCH, "issuer");
    JsonObject live = Batches.of(1).put("issuer", "did:web:school.example:issuers:7");
    assertThat(validate(live, LIVE_INSTITUTION).issuer()).isEqualTo("did:web:school.example:issuers:7");
    assertThat(validate(Batches.of(1).putNull("issuer"), TEST_STARTER).issuer()).isNull();
  }

  @Test
  @DisplayName("ApiError codes fix the statuses the contract names")
  void statuses() {
    assertThat(ApiError.MISSING_REQUIRED_FIELD.status()).isEqualTo(400);
    assertThat(ApiError.BATCH_TOO_LARGE.status()).isEqualTo(400);
    assertThat(ApiError.TIER_REQUIRED.status()).isEqualTo(403);
    assertThat(ApiError.ENVIRONMENT_MISMATCH.status()).isEqualTo(403);
  }

  // --- accepted shapes ---

  @Test
  @DisplayName("a valid batch: default network, no issuer, the credentials as sent and in order")
  void accepted() {
    JsonObject batch = Batches.of(3);
    BatchRequest request = validate(batch, TEST_INDUSTRY);
    assertThat(request.network()).isEqualTo("base-sepolia");
    assertThat(request.issuer()).isNull();
    assertThat(request.credentials()).containsExactly(credential(batch, 0), credential(batch, 1),
        credential(batch, 2));
  }

  @Test
  @DisplayName("a minimal credential: recipient id, issuanceDate, name, description, empty criteria")
  void minimal() {
    JsonObject c = new JsonObject()
        .put("recipient", new JsonObject().put("id", "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21"))
        .put("issuanceDate", "2026-11-27T10:00:00Z")
        .put("achievement", new JsonObject().put("name", "Welding").put("description", "MIG.")
            .put("criteria", new JsonObject()));
    assertThat(validate(Batches.with(c), TEST_STARTER).credentials()).containsExactly(c);
  }

  static Stream<Arguments> acceptedVariants() {
    return Stream.of(
        accepted("issuanceDate with an offset", c -> c.put("issuanceDate", "2026-11-27T10:00:00+02:00")),
        accepted("issuanceDate with a fraction", c -> c.put("issuanceDate", "2026-11-27T10:00:00.123Z")),
        accepted("expirationDate absent", c -> c.remove("expirationDate")),
        accepted("expirationDate null", c -> c.putNull("expirationDate")),
        accepted("expirationDate one second later",
            c -> c.put("expirationDate", "2026-11-27T10:00:01Z")),
        accepted("recipient.id in capitals", c -> c.getJsonObject("recipient")
            .put("id", "urn:uuid:0B5D0C5E-3F8E-4B8A-9D6E-2F4C1F0A7B21")),
        accepted("recipient with an email", c -> c.getJsonObject("recipient").put("email", "ada@example.org")),
        accepted("achievement.id a urn", c -> achievement(c)
            .put("id", "urn:uuid:0b5d0c5e-3f8e-4b8a-9d6e-2f4c1f0a7b21")),
        accepted("no alignment", c -> achievement(c).remove("alignment")),
        accepted("empty alignment", c -> achievement(c).put("alignment", new JsonArray())),
        accepted("framework O*NET", c -> alignment(c).put("targetFramework", "O*NET")),
        accepted("framework ISCED-F", c -> alignment(c).put("targetFramework", "ISCED-F")),
        accepted("framework CUSTOM", c -> alignment(c).put("targetFramework", "CUSTOM")),
        accepted("targetUrl over http", c -> alignment(c).put("targetUrl", "http://skills.example/1")),
        accepted("name of exactly 10,000 characters", c -> achievement(c).put("name", "n".repeat(10_000))),
        accepted("criteria with an id", c -> achievement(c).getJsonObject("criteria")
            .put("id", "https://example.edu/criteria/1")),
        accepted("fields the table does not name", c -> c.put("evidence", new JsonArray().add("x"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedVariants")
  @DisplayName("accepted variants of a credential")
  void acceptedVariant(String what, Consumer<JsonObject> change) {
    JsonObject c = Batches.credential();
    change.accept(c);
    assertThat(validate(Batches.with(c), TEST_INDUSTRY).credentials()).containsExactly(c);
  }

  // --- helpers ---

  private static BatchRequest validate(JsonObject batch, ApiKey key) {
    return BatchValidator.validate(batch.toBuffer(), key);
  }

  private static String message(JsonObject batch, ApiKey key) {
    try {
      validate(batch, key);
    } catch (ApiException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + batch.encode());
  }

  /** Rejected with this code, by a message that starts with the JSON path it names. */
  private static void rejects(JsonObject batch, ApiKey key, ApiError error, String path) {
    Buffer body = batch == null ? null : batch.toBuffer();
    assertThatThrownBy(() -> BatchValidator.validate(body, key))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error()).as("code of: %s", e.getMessage()).isEqualTo(error);
          assertThat(e.getMessage()).startsWith(path + " ");
        });
  }

  private static Arguments broken(String what, ApiError error, String path, Consumer<JsonObject> change) {
    return Arguments.of(what, error, path, change);
  }

  private static Arguments accepted(String what, Consumer<JsonObject> change) {
    return Arguments.of(what, change);
  }

  private static JsonObject credential(JsonObject batch, int i) {
    return batch.getJsonArray("credentials").getJsonObject(i);
  }

  private static JsonObject achievement(JsonObject credential) {
    return credential.getJsonObject("achievement");
  }

  private static JsonObject alignment(JsonObject credential) {
    return achievement(credential).getJsonArray("alignment").getJsonObject(0);
  }
}
