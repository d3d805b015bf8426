package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.learncoin.client.ApiClient;
import com.learncoin.client.ApiException;
import com.learncoin.client.ApiResponse;
import com.learncoin.client.api.AdminApi;
import com.learncoin.client.api.BatchesApi;
import com.learncoin.client.api.CredentialsApi;
import com.learncoin.client.api.TenantsApi;
import com.learncoin.client.model.Achievement;
import com.learncoin.client.model.AchievementCriteria;
import com.learncoin.client.model.AdminCreateTenantRequest;
import com.learncoin.client.model.AnchorReceiptAllOfPath;
import com.learncoin.client.model.Batch;
import com.learncoin.client.model.BatchRequest;
import com.learncoin.client.model.Credential;
import com.learncoin.client.model.CredentialList;
import com.learncoin.client.model.CredentialRequest;
import com.learncoin.client.model.CredentialRequestRecipient;
import com.learncoin.client.model.ErrorCode;
import com.learncoin.client.model.ErrorResponse;
import com.learncoin.client.model.NewApiKey;
import com.learncoin.client.model.Plan;
import com.learncoin.client.model.Verification;
import com.learncoin.client.model.VerifyCredentialRequest;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java client that openapi-generator builds from openapi.yaml (generate-test-sources, see
 * pom.xml) against the real gateway, as a user would drive it: once with the generator's default
 * lenient parsing and once failing on any member the document does not declare.
 */
@GatewayTest
@DisplayName("A Java client generated from openapi.yaml works against the gateway, strict and lenient")
class GeneratedClientTest {
  private static TestGateway app;

  @ParameterizedTest(name = "strict parsing: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("tenant, batch with replay, anchored receipt, verify with the credential sent back, revoke, erase")
  void lifecycle(boolean strict) throws Exception {
    AdminApi admin = new AdminApi(client(strict, app.adminToken()));
    String tenantId = admin.adminCreateTenant(new AdminCreateTenantRequest()
        .name("Generated Client School").plan(Plan.INSTITUTION)).getId();
    // No options: the generated client sends the JSON null for an optional body left unset.
    NewApiKey key = admin.adminCreateKey(tenantId, null);
    assertThat(key.getKey()).startsWith("lrn_test_");
    ApiClient client = client(strict, key.getKey());
    BatchesApi batches = new BatchesApi(client);
    CredentialsApi credentials = new CredentialsApi(client);

    String idempotencyKey = UUID.randomUUID().toString();
    BatchRequest request = batch();
    ApiResponse<Batch> created = batches.createBatchWithHttpInfo(request, idempotencyKey);
    assertThat(created.getStatusCode()).isEqualTo(202);
    assertThat(header(created, "x-request-id")).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(header(created, "ratelimit-policy")).isNotBlank();
    ApiResponse<Batch> replayed = batches.createBatchWithHttpInfo(request, idempotencyKey);
    assertThat(header(replayed, "idempotent-replayed")).isEqualTo("true");
    assertThat(replayed.getData().getId()).isEqualTo(created.getData().getId());

    String batchId = created.getData().getId();
    Batch anchored = poll(() -> batches.getBatch(batchId),
        b -> b.getStatus() == Batch.StatusEnum.ANCHORED);
    assertThat(anchored.getAnchor().getTxHash()).matches("0x[0-9a-f]{64}");

    CredentialList list = batches.listBatchCredentials(batchId, 10, null);
    assertThat(list.getData()).hasSize(1);
    assertThat(list.getHasMore()).isFalse();
    Credential credential = credentials.getCredential(list.getData().get(0).getId());
    assertThat(credential.getStatus()).isEqualTo(Credential.StatusEnum.ACTIVE);
    assertThat(credential.getCredential()).as("the signed VC, opaque").isInstanceOf(Map.class);
    for (AnchorReceiptAllOfPath step : credential.getAnchor().getPath()) {
      assertThat(step.getLeft() == null).as("exactly one of left/right").isNotEqualTo(step.getRight() == null);
    }

    Verification verification = credentials.verifyCredential(new VerifyCredentialRequest()
        .credential(credential.getCredential()).anchor(credential.getAnchor()), null);
    assertThat(verification.getVerified()).as("%s", verification).isTrue();

    // No reason: the client sends the JSON null as the body.
    Credential revoked = credentials.revokeCredential(credential.getId(), null, null);
    assertThat(revoked.getStatus()).isEqualTo(Credential.StatusEnum.REVOKED);
    assertError(client, () -> credentials.revokeCredential(credential.getId(), null, null), 409,
        ErrorCode.CREDENTIAL_ALREADY_REVOKED);
    assertThat(credentials.eraseCredential(credential.getId(), null).getStatus())
        .isEqualTo(Credential.StatusEnum.ERASED);
    assertError(client, () -> credentials.eraseCredential(credential.getId(), null), 409,
        ErrorCode.CREDENTIAL_ALREADY_ERASED);
    assertThat(new TenantsApi(client).getTenant(tenantId).getId()).isEqualTo(tenantId);
  }

  @ParameterizedTest(name = "strict parsing: {0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("each error the client can provoke comes back as an ErrorResponse with code, message and request id")
  void errors(boolean strict) throws Exception {
    String key = app.newTestKey("starter");
    ApiClient client = client(strict, key);
    BatchesApi batches = new BatchesApi(client);
    CredentialsApi credentials = new CredentialsApi(client);
    assertError(client, () -> batches.getBatch("bat_01JD7Q3V3D5F7H9K1M3P5R7T9V"), 404,
        ErrorCode.BATCH_NOT_FOUND);
    assertError(client, () -> credentials.getCredential("cred_01JD7Q3V3D5F7H9K1M3P5R7T9V"), 404,
        ErrorCode.CREDENTIAL_NOT_FOUND);
    assertError(client, () -> batches.createBatch(new BatchRequest()
        .network(BatchRequest.NetworkEnum.BASE_SEPOLIA), null), 400, ErrorCode.MISSING_REQUIRED_FIELD);
    BatchRequest badRecipient = batch();
    badRecipient.getCredentials().get(0).getRecipient().id("urn:uuid:not-a-uuid");
    assertError(client, () -> batches.createBatch(badRecipient, null), 400, ErrorCode.RECIPIENT_ID_INVALID);
    assertError(client, () -> batches.createBatch(batch().network(BatchRequest.NetworkEnum.BASE), null),
        403, ErrorCode.ENVIRONMENT_MISMATCH);
    String reused = UUID.randomUUID().toString();
    BatchRequest first = batch();
    batches.createBatch(first, reused);
    BatchRequest other = batch();
    other.getCredentials().get(0).getRecipient().id(first.getCredentials().get(0).getRecipient().getId());
    other.getCredentials().get(0).getAchievement().name("Another achievement");
    assertError(client, () -> batches.createBatch(other, reused), 409, ErrorCode.IDEMPOTENCY_KEY_REUSED);
    assertError(client, () -> new TenantsApi(client).getTenant("ten_01JD7Q3V3D5F7H9K1M3P5R7T9V"), 404,
        ErrorCode.TENANT_NOT_FOUND);
    assertError(client, () -> new BatchesApi(client(strict, "lrn_test_" + "x".repeat(32)))
        .getBatch("bat_01JD7Q3V3D5F7H9K1M3P5R7T9V"), 401, ErrorCode.API_KEY_INVALID);
    ApiClient anonymous = client(strict, null);
    assertError(anonymous, () -> new BatchesApi(anonymous).getBatch("bat_01JD7Q3V3D5F7H9K1M3P5R7T9V"),
        401, ErrorCode.API_KEY_MISSING);
    assertError(anonymous, () -> new AdminApi(anonymous).adminListTenants(null, null), 401,
        ErrorCode.ADMIN_TOKEN_INVALID);
  }

  private static ApiClient client(boolean strict, String bearer) {
    ApiClient client = new ApiClient();
    client.updateBaseUri(app.uri("").toString());
    if (bearer != null) {
      client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
    }
    if (strict) {
      client.setObjectMapper(ApiClient.createDefaultObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .configure(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, true));
    }
    return client;
  }

  private static BatchRequest batch() {
    return new BatchRequest().network(BatchRequest.NetworkEnum.BASE_SEPOLIA).credentials(List.of(
        new CredentialRequest()
            .recipient(new CredentialRequestRecipient().id("urn:uuid:" + UUID.randomUUID()).name("Ada Lovelace"))
            .issuanceDate(OffsetDateTime.parse("2026-11-27T10:00:07Z"))
            .achievement(new Achievement().id(java.net.URI.create("https://example.edu/achievements/welding-1"))
                .name("Welding Level 1").description("Welds a butt joint.")
                .criteria(new AchievementCriteria().narrative("Passed the practical exam.")))));
  }

  /** The call fails with this status, and its body parses as ErrorResponse with this code. */
  private static void assertError(ApiClient client, Callable<?> call, int status, ErrorCode code)
      throws Exception {
    ApiException failure = catchThrowableOfType(ApiException.class, call::call);
    assertThat(failure).as("expected %s %s", status, code).isNotNull();
    assertThat(failure.getCode()).as(failure.getResponseBody()).isEqualTo(status);
    ObjectMapper mapper = client.getObjectMapper();
    ErrorResponse error = mapper.readValue(failure.getResponseBody(), ErrorResponse.class);
    assertThat(error.getError().getCode()).isEqualTo(code);
    assertThat(error.getError().getMessage()).isNotBlank();
    assertThat(error.getError().getRequestId()).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(failure.getResponseHeaders().firstValue("x-request-id"))
        .contains(error.getError().getRequestId());
  }

  private static String header(ApiResponse<?> response, String name) {
    return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0)).findFirst().orElse(null);
  }

  private static <T> T poll(Callable<T> read, java.util.function.Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    T value = read.call();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      value = read.call();
    }
    assertThat(done.test(value)).as("still %s after 90 s", value).isTrue();
    return value;
  }
}
