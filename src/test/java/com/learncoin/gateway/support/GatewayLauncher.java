package com.learncoin.gateway.support;

import com.learncoin.gateway.Main;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway as an operator runs it: {@code java ... Main <command>}, configured by environment. */
public final class GatewayLauncher {
  private final ProcessBuilder builder;

  private GatewayLauncher(ProcessBuilder builder) {
    this.builder = builder;
  }

  /** {@code command} with the test classpath and no LEARNCOIN_ variable inherited. */
  public static GatewayLauncher java(String command) {
    String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    // The product's logging, not the quieter logback-test.xml that the test classpath also has.
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml",
        Main.class.getName(), command);
    builder.environment().keySet().removeIf(k -> k.startsWith("LEARNCOIN_"));
    return new GatewayLauncher(builder);
  }

  public GatewayLauncher with(String name, String value) {
    builder.environment().put(name, value);
    return this;
  }

  public Process start() throws IOException {
    return builder.start();
  }

  /**
   * Reads the log until the gateway says where it listens; keeps draining it afterwards, all of it
   * copied to this test's output (surefire keeps it per class) for when a test fails.
   */
  public static int awaitListening(Process process) throws IOException {
    return awaitListening(process, line -> { });
  }

  /** As above; every line after the listening one is also given to {@code lines}. */
  public static int awaitListening(Process process, java.util.function.Consumer<String> lines)
      throws IOException {
    BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on http://localhost:(\\d+)");
    for (String line = log.readLine(); line != null; line = log.readLine()) {
      System.out.println("[gateway] " + line);
      Matcher m = listening.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> {
          try {
            log.lines().forEach(l -> {
              System.out.println("[gateway] " + l);
              lines.accept(l);
            });
          } catch (java.io.UncheckedIOException closed) {
            // The process went and its stream with it.
          }
        });
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("the gateway exited before listening");
  }
}
