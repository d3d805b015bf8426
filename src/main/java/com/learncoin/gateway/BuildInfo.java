package com.learncoin.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What was built, from which commit and when: filled in by Maven into learncoin-build.properties. */
public record BuildInfo(String version, String commit, boolean dirty, String built) {

  public static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/learncoin-build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(known(properties, "version"), known(properties, "commit"),
        "true".equals(properties.getProperty("dirty")), known(properties, "built"));
  }

  public static String describe() {
    BuildInfo info = load();
    return "learncoin-gateway " + info.version() + " (commit " + info.commit()
        + (info.dirty() ? ", uncommitted changes" : "") + ", built " + info.built() + "; Java "
        + Runtime.version() + ", " + System.getProperty("java.vm.name") + ")";
  }

  // An unfiltered placeholder (a build without git, or an IDE build) reads as "unknown".
  private static String known(Properties properties, String key) {
    String value = properties.getProperty(key, "");
    return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
  }
}
