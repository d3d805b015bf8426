package com.learncoin.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Node scripts under {@code interop/}: Digital Bazaar's verifiers
 * ({@code verify-credential.mjs}) and the DCC's wallet verifier ({@code verify-wallet.mjs}), the
 * independent checks that what we issue is accepted by others, and the admin console's browser
 * test. Needs {@code npm ci}.
 */
public final class NodeVerifier {
  private final Path projectRoot = Path.of("").toAbsolutePath();
  private final String node;

  public NodeVerifier() {
    node = onPath("node");
    if (node == null) {
      fail("node (>= 20) is not on the PATH; the interop tests run the Node verifiers");
    }
    if (!Files.isDirectory(projectRoot.resolve("node_modules/@digitalbazaar/vc"))) {
      fail("node_modules/@digitalbazaar/vc is missing under " + projectRoot
          + ": run `npm ci` in the project root first (scripts/test.sh does)");
    }
  }

  /** {"verified": bool, "revoked": bool|null, "errors": [...]}, as the script prints it. */
  public JsonObject verify(JsonObject credential, JsonObject statusListCredential)
      throws IOException, InterruptedException {
    JsonObject input = new JsonObject().put("credential", credential);
    if (statusListCredential != null) {
      input.put("statusListCredential", statusListCredential);
    }
    Path dir = Files.createTempDirectory("interop");
    Path file = dir.resolve("input.json");
    Files.writeString(file, input.encode(), StandardCharsets.UTF_8);
    return run("verify-credential.mjs", Map.of(), Duration.ofSeconds(60), file.toString());
  }

  /**
   * The Learner Credential Wallet's verifier ({@code verify-wallet.mjs}, DCC's verifier-core) on
   * the named credentials: {"results": {name: {...}}, "fetches": [{"url", "served"}]}. Status lists
   * come from {@code gateway} (its public base URL, reached on its loopback address), did:web
   * documents only from {@code didDocuments} (URL to document); every other URL is refused.
   */
  public JsonObject verifyAsWallet(Map<String, JsonObject> credentials, TestGateway gateway,
      JsonObject didDocuments, JsonArray registries) throws IOException, InterruptedException {
    if (!Files.isDirectory(projectRoot.resolve("node_modules/@digitalcredentials/verifier-core"))) {
      fail("node_modules/@digitalcredentials/verifier-core is missing: run `npm ci` first");
    }
    String port = String.valueOf(gateway.gateway().port());
    JsonObject input = new JsonObject()
        .put("credentials", new JsonObject(new LinkedHashMap<>(credentials)))
        .put("gateway", new JsonObject().put("publicBaseUrl", "http://localhost:" + port)
            .put("loopbackUrl", "http://127.0.0.1:" + port))
        .put("didDocuments", didDocuments)
        .put("registries", registries);
    Path file = Files.createTempDirectory("interop").resolve("input.json");
    Files.writeString(file, input.encode(), StandardCharsets.UTF_8);
    return run("verify-wallet.mjs", Map.of(), Duration.ofSeconds(120), file.toString());
  }

  /**
   * Runs {@code interop/<script>} with the given environment added and returns its last line of
   * output as JSON; a non-zero exit or a run past the timeout fails the test with its stderr.
   */
  public JsonObject run(String script, Map<String, String> env, Duration timeout, String... args)
      throws IOException, InterruptedException {
    // Both streams go to files, so a script that hangs is caught by the timeout, not a read.
    Path output = Files.createTempFile("interop", ".stdout");
    Path errors = Files.createTempFile("interop", ".stderr");
    List<String> command = new ArrayList<>(List.of(node, "interop/" + script));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(projectRoot.toFile())
        .redirectOutput(output.toFile())
        .redirectError(errors.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      fail(script + " did not finish within " + timeout.toSeconds() + " s; stderr: "
          + Files.readString(errors));
    }
    assertThat(process.exitValue()).as(script + " exit code; stderr: " + Files.readString(errors))
        .isZero();
    String[] lines = Files.readString(output).strip().split("\n");
    return new JsonObject(lines[lines.length - 1]);
  }

  private static String onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File candidate = new File(dir, command);
      if (candidate.isFile() && candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }
}
