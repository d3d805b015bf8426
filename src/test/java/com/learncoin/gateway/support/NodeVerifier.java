package com.learncoin.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Digital Bazaar's verifiers, run with Node ({@code interop/verify-credential.mjs}): the
 * independent check that what we issue is accepted by others. Needs {@code npm ci}.
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
    Path errors = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(node, "interop/verify-credential.mjs", file.toString())
        .directory(projectRoot.toFile())
        .redirectError(errors.toFile())
        .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("verify-credential.mjs did not finish within 60 s");
    }
    assertThat(process.exitValue()).as("exit code; stderr: " + Files.readString(errors)).isZero();
    String[] lines = out.strip().split("\n");
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
