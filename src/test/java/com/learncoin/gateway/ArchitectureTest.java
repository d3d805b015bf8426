package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The packages' layers, lowest first, as docs/architecture.md's Layout section draws them. A package may import
 * only from lower layers: nothing runs back up, and with no imports inside a layer there can be
 * no package cycle.
 */
@DisplayName("Main code keeps its layers: no import runs back up, no file over 250 lines")
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/com/learncoin/gateway");
  private static final String ROOT = "(root)";
  private static final List<List<String>> LAYERS = List.of(
      List.of("common", "net", "process", "resilience", "logging"),
      List.of("config"),
      List.of("db", "signing"),
      List.of("http", "credential", "anchoring", "metrics"),
      List.of("auth"),
      List.of("tenant", "audit", "idempotency", "ratelimit", "webhook"),
      List.of("identity"),
      List.of("statuslist"),
      List.of("issuance"),
      List.of("lifecycle"),
      List.of("verification", "admin"),
      List.of("vcapi"),
      List.of(ROOT));
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?com\\.learncoin\\.gateway\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  @DisplayName("every import goes to a lower layer, and every package has a layer")
  void importsGoDown() throws IOException {
    Map<String, Integer> layerOf = new HashMap<>();
    for (int i = 0; i < LAYERS.size(); i++) {
      for (String pkg : LAYERS.get(i)) {
        layerOf.put(pkg, i);
      }
    }
    List<String> upward = new ArrayList<>();
    TreeSet<String> unplaced = new TreeSet<>();
    for (Path file : javaFiles()) {
      String pkg = packageOf(file);
      Matcher imports = IMPORT.matcher(Files.readString(file));
      while (imports.find()) {
        String target = imports.group(1);
        if (target.equals(pkg)) {
          continue;
        }
        if (!layerOf.containsKey(pkg) || !layerOf.containsKey(target)) {
          unplaced.add(layerOf.containsKey(pkg) ? target : pkg);
        } else if (layerOf.get(target) >= layerOf.get(pkg)) {
          upward.add(MAIN.relativize(file) + " imports " + target);
        }
      }
    }
    assertThat(unplaced).as("packages missing from LAYERS (and docs/architecture.md's Layout)").isEmpty();
    assertThat(upward).as("imports to the same or a higher layer").isEmpty();
  }

  @Test
  @DisplayName("no main file is over 250 lines")
  void filesStayShort() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path file : javaFiles()) {
      long lines = Files.lines(file).count();
      if (lines > 250) {
        tooLong.add(MAIN.relativize(file) + " (" + lines + " lines)");
      }
    }
    assertThat(tooLong).isEmpty();
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }

  private static String packageOf(Path file) {
    Path dir = MAIN.relativize(file).getParent();
    return dir == null ? ROOT : dir.toString().replace('/', '.');
  }
}
