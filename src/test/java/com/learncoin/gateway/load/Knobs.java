package com.learncoin.gateway.load;

import java.time.Duration;

/** Simulation settings from system properties ({@code -Dname=value}), with defaults. */
final class Knobs {
  private Knobs() {}

  static int integer(String name, int fallback) {
    String value = System.getProperty(name, "").strip();
    try {
      return value.isEmpty() ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + value + "'");
    }
  }

  static Duration seconds(String name, int fallback) {
    return Duration.ofSeconds(integer(name, fallback));
  }

  static String text(String name, String fallback) {
    String value = System.getProperty(name, "").strip();
    return value.isEmpty() ? fallback : value;
  }
}
