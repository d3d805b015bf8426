package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.learncoin.gateway.support.Eventually;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.NodeVerifier;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("The admin console at /console works in Chromium and is served with strict headers")
class ConsoleBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOT = Path.of("target", "console.png");
  private static TestGateway app;

  @Test
  @DisplayName("the page, its script and its style carry CSP default-src 'self', nosniff, no-referrer and DENY")
  void strictHeaders() {
    Reply page = app.send("GET", "/console", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.header("X-Request-Id")).startsWith("req_");
    for (String path : new String[] {"/console", "/console/console.js", "/console/console.css",
        "/console/favicon.svg"}) {
      Reply reply = app.send("GET", path, null);
      assertThat(reply.status()).as(path).isEqualTo(200);
      assertThat(reply.header("Content-Security-Policy")).as(path)
          .startsWith("default-src 'self';").doesNotContain("unsafe");
      assertThat(reply.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(reply.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
      assertThat(reply.header("X-Frame-Options")).as(path).isEqualTo("DENY");
    }
    assertThat(app.send("GET", "/console/console.js", null).header("Content-Type"))
        .startsWith("text/javascript");
    // Every script is a file of ours: no inline code, no event-handler attributes, no styles inline.
    assertThat(page.text()).containsPattern("<script src=\"/console/console.js\"")
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("\\son[a-z]+=")
        .doesNotContain("style=");
  }

  @Test
  @DisplayName("an unknown file under /console/ is 404 route_not_found in the error envelope")
  void unknownAsset() {
    app.send("GET", "/console/secrets.txt", null).assertError(404, "route_not_found");
    // A dot-segment probe is no documented path: sent unvalidated.
    app.unvalidated().send("GET", "/console/../openapi.yaml/console.js", null)
        .assertError(404, "route_not_found");
  }

  @Test
  @DisplayName("in Chromium an operator creates a tenant, changes its plan, sees its usage, creates a key, allowlists an IP, revokes it and reads an audit record; errors, narrow screens and a refused token behave")
  void operatorSessionInChromium() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail(CHROMIUM + " is missing: scripts/test.sh installs Debian's chromium package");
    }
    String requestId = app.send("GET", "/health/live", null).header("X-Request-Id");
    Eventually.await("the audit record of " + requestId, Duration.ofSeconds(10),
        () -> app.admin("GET", "/admin/v1/audit/" + requestId, null).status() == 200);
    Files.deleteIfExists(SCREENSHOT);

    JsonObject result = new NodeVerifier().run("console-e2e.mjs",
        Map.of("LEARNCOIN_ADMIN_TOKEN", app.adminToken()), Duration.ofSeconds(120),
        app.uri("").toString(), requestId, SCREENSHOT.toAbsolutePath().toString());

    String keyId = result.getString("key_id");
    String tenantId = result.getString("tenant_id");
    assertThat(app.queryText("SELECT tenant_id FROM api_keys WHERE id = ?", keyId))
        .isEqualTo(tenantId);
    assertThat(app.queryText("SELECT name FROM tenants WHERE id = ?", tenantId))
        .isEqualTo("<img src=x onerror=alert(1)> Console School");
    assertThat(app.queryText("SELECT plan FROM tenants WHERE id = ?", tenantId))
        .as("created on institution, then changed in the console").isEqualTo("industry");
    assertThat(app.queryText("SELECT array_to_string(ip_allowlist, ',') FROM api_keys WHERE id = ?",
        keyId)).isEqualTo(result.getString("ip"));
    assertThat(app.queryLong("SELECT count(*) FROM api_keys WHERE id = ? AND revoked_at IS NOT NULL",
        keyId)).isEqualTo(1);
    app.get("/v1/tenants/" + tenantId, result.getString("key")).assertError(401, "api_key_revoked");
    assertThat(result.getString("audit_path")).isEqualTo("/health/live");

    byte[] png = Files.readAllBytes(SCREENSHOT);
    assertThat(Arrays.copyOf(png, 8)).as("PNG signature of " + SCREENSHOT)
        .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
  }
}
