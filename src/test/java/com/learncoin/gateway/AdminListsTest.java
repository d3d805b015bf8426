package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("The admin API lists tenants and a tenant's keys, page by page")
class AdminListsTest {
  private static TestGateway app;

  @Test
  @DisplayName("GET /admin/v1/tenants pages oldest first with has_more, after the starting_after cursor")
  void tenantsPageByPage() {
    String marker = app.tenant("starter");
    List<String> created = List.of(app.tenant("starter"), app.tenant("institution"),
        app.tenant("industry"));

    JsonObject first = app.admin("GET", "/admin/v1/tenants?limit=2&starting_after=" + marker, null)
        .assertStatus(200).json();
    assertThat(first.getString("object")).isEqualTo("list");
    assertThat(ids(first)).containsExactly(created.get(0), created.get(1));
    assertThat(first.getBoolean("has_more")).isTrue();
    JsonObject tenant = first.getJsonArray("data").getJsonObject(1);
    assertThat(tenant.getString("object")).isEqualTo("tenant");
    assertThat(tenant.getString("plan")).isEqualTo("institution");
    assertThat(tenant.getString("name")).isEqualTo("Test School institution");

    JsonObject second = app.admin("GET", "/admin/v1/tenants?limit=2&starting_after="
        + created.get(1), null).assertStatus(200).json();
    assertThat(ids(second)).containsExactly(created.get(2));
    assertThat(second.getBoolean("has_more")).isFalse();

    JsonObject all = app.admin("GET", "/admin/v1/tenants", null).assertStatus(200).json();
    assertThat(ids(all)).containsSubsequence(marker, created.get(0), created.get(1),
        created.get(2));
  }

  @Test
  @DisplayName("GET /admin/v1/tenants/{id}/keys shows each key's allowlist and revocation, never its secret")
  void keysOfTenant() {
    String tenant = app.tenant("starter");
    String other = app.tenant("starter");
    JsonObject test = app.key(tenant, "test", "203.0.113.7");
    JsonObject live = app.key(tenant, "live");
    app.key(other, "test");
    app.admin("POST", "/admin/v1/keys/" + live.getString("id") + "/revoke", null).assertStatus(200);

    JsonObject page = app.admin("GET", "/admin/v1/tenants/" + tenant + "/keys", null)
        .assertStatus(200).json();
    assertThat(ids(page)).containsExactly(test.getString("id"), live.getString("id"));
    assertThat(page.getBoolean("has_more")).isFalse();
    JsonObject first = page.getJsonArray("data").getJsonObject(0);
    assertThat(first.fieldNames()).containsExactlyInAnyOrder("id", "object", "tenant_id",
        "environment", "last4", "ip_allowlist", "created_at", "revoked_at");
    assertThat(first.getString("environment")).isEqualTo("test");
    assertThat(first.getString("last4")).isEqualTo(test.getString("key").substring(
        test.getString("key").length() - 4));
    assertThat(first.getJsonArray("ip_allowlist")).isEqualTo(new JsonArray().add("203.0.113.7"));
    assertThat(first.getString("revoked_at")).isNull();
    assertThat(page.getJsonArray("data").getJsonObject(1).getString("revoked_at")).isNotNull();
    assertThat(page.encode()).doesNotContain(test.getString("key"), live.getString("key"));

    JsonObject paged = app.admin("GET", "/admin/v1/tenants/" + tenant + "/keys?limit=1", null)
        .assertStatus(200).json();
    assertThat(ids(paged)).containsExactly(test.getString("id"));
    assertThat(paged.getBoolean("has_more")).isTrue();
    JsonObject rest = app.admin("GET", "/admin/v1/tenants/" + tenant + "/keys?limit=1&starting_after="
        + test.getString("id"), null).assertStatus(200).json();
    assertThat(ids(rest)).containsExactly(live.getString("id"));
    assertThat(rest.getBoolean("has_more")).isFalse();
  }

  @Test
  @DisplayName("a tenant with no key lists none; an unknown tenant is 404 tenant_not_found")
  void unknownTenant() {
    JsonObject empty = app.admin("GET", "/admin/v1/tenants/" + app.tenant("starter") + "/keys",
        null).assertStatus(200).json();
    assertThat(empty.getJsonArray("data")).isEmpty();
    assertThat(app.admin("GET", "/admin/v1/tenants/ten_01JD7Q3V3M8B2X1C6V9N4K7J5H/keys", null)
        .assertError(404, "tenant_not_found").getString("message"))
        .contains("ten_01JD7Q3V3M8B2X1C6V9N4K7J5H");
  }

  @Test
  @DisplayName("a limit outside 1..100 is 400 invalid_field_format naming limit, on both lists")
  void badLimit() {
    String tenant = app.tenant("starter");
    for (String limit : List.of("0", "101", "ten", "-1")) {
      assertThat(app.admin("GET", "/admin/v1/tenants?limit=" + limit, null)
          .assertError(400, "invalid_field_format").getString("message")).contains("limit");
      assertThat(app.admin("GET", "/admin/v1/tenants/" + tenant + "/keys?limit=" + limit, null)
          .assertError(400, "invalid_field_format").getString("message")).contains("limit");
    }
  }

  @Test
  @DisplayName("both lists without an admin token, or with an API key, are 401 admin_token_invalid")
  void needsAdminToken() {
    String tenant = app.tenant("starter");
    String apiKey = app.key(tenant, "test").getString("key");
    for (String path : List.of("/admin/v1/tenants", "/admin/v1/tenants/" + tenant + "/keys")) {
      app.send("GET", path, null).assertError(401, "admin_token_invalid");
      app.get(path, apiKey).assertError(401, "admin_token_invalid");
    }
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
