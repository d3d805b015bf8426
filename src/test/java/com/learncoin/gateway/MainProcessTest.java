package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The process, as an operator starts it")
class MainProcessTest {

  @Test
  @DisplayName("invalid configuration stops start-up with exit code 2 and a one-line reason")
  void invalidConfiguration() throws Exception {
    Process process = java("run").with("LEARNCOIN_HTTP_PORT", "eighty").start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr).isEqualTo("learncoin: invalid configuration: LEARNCOIN_HTTP_PORT: expected an "
        + "integer 0..65535, got 'eighty'");
  }

  @Test
  @DisplayName("help lists the configuration variables")
  void help() throws Exception {
    Process process = java("help").start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isZero();
    assertThat(stdout).contains("LEARNCOIN_HTTP_PORT", "LEARNCOIN_DB_URL", "LEARNCOIN_SIGNER",
        "admin-token");
  }

  private static Launcher java(String command) {
    String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), command);
    builder.environment().keySet().removeIf(k -> k.startsWith("LEARNCOIN_"));
    return new Launcher(builder);
  }

  private record Launcher(ProcessBuilder builder) {
    Launcher with(String name, String value) {
      builder.environment().put(name, value);
      return this;
    }

    Process start() throws java.io.IOException {
      return builder.start();
    }
  }
}
