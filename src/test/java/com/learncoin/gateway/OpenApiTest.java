package com.learncoin.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.learncoin.gateway.http.ApiError;
import com.learncoin.gateway.support.GatewayTest;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@GatewayTest
@DisplayName("GET /openapi.yaml describes every route and every error code of the gateway")
class OpenApiTest {
  private static Vertx vertx;
  private static TestGateway app;
  private static Reply served;

  @BeforeAll
  static void start() {
    served = app.send("GET", "/openapi.yaml", null);
  }

  /** The served document, read under the conventions stated at its top. */
  private static Outline document() {
    assertThat(served.status()).as("GET /openapi.yaml (is it routed in ApiRouter?) answered %s",
        served.text()).isEqualTo(200);
    return new Outline(served.text());
  }

  @Test
  @DisplayName("the bundled document is served without a key as 200 application/yaml with a request id")
  void served() throws IOException {
    assertThat(served.status()).as("status of %s", served.text()).isEqualTo(200);
    assertThat(served.header("Content-Type")).isEqualTo("application/yaml");
    assertThat(served.header("X-Request-Id")).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(served.text()).contains("\nopenapi: 3.1.0\n");
    try (InputStream bundled = OpenApiTest.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(served.raw().body()).isEqualTo(bundled.readAllBytes());
    }
  }

  @Test
  @DisplayName("every method and path the router serves is documented, and every documented one is routed")
  void routesMatch() {
    Set<String> routed = routes(ApiRouter.create(vertx, Handlers.create(vertx, app.gateway().services())));
    Set<String> documented = document().operations();
    Set<String> undocumented = minus(routed, documented);
    Set<String> unrouted = minus(documented, routed);
    assertThat(routed).as("routes found on the router").isNotEmpty();
    if (!undocumented.isEmpty() || !unrouted.isEmpty()) {
      fail("openapi.yaml and ApiRouter disagree.%n  routed but not documented: %s%n"
          + "  documented but not routed: %s", undocumented, unrouted);
    }
  }

  @Test
  @DisplayName("the ErrorCode enum lists every code of ApiError, and no other")
  void errorCodesMatch() {
    List<String> enumerated = document().errorCodes();
    Set<String> codes = Arrays.stream(ApiError.values()).map(ApiError::code)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(enumerated).as("ErrorCode enum").doesNotHaveDuplicates();
    assertThat(minus(codes, new TreeSet<>(enumerated))).as("ApiError codes missing from ErrorCode")
        .isEmpty();
    assertThat(minus(new TreeSet<>(enumerated), codes)).as("ErrorCode entries ApiError lacks")
        .isEmpty();
  }

  @Test
  @DisplayName("each documented error response lists only codes whose status is that response's")
  void errorStatusesMatch() {
    Outline document = document();
    Map<String, List<String>> codesOf = document.errorResponses();
    List<String> wrong = new ArrayList<>();
    document.errorReferences().forEach((where, name) -> {
      int status = Integer.parseInt(where.substring(where.lastIndexOf(' ') + 1));
      List<String> codes = codesOf.get(name);
      if (codes == null || codes.isEmpty()) {
        wrong.add(where + ": components/responses/" + name + " is missing or lists no code");
        return;
      }
      for (String code : codes) {
        ApiError error = Arrays.stream(ApiError.values()).filter(e -> e.code().equals(code))
            .findFirst().orElse(null);
        if (error == null || error.status() != status) {
          wrong.add(where + ": " + code + (error == null ? " is no ApiError code"
              : " has status " + error.status()));
        }
      }
    });
    assertThat(document.errorReferences()).as("error responses found in paths").isNotEmpty();
    assertThat(wrong).as("error responses whose codes do not fit their status").isEmpty();
  }

  @Test
  @DisplayName("docs/API.md's error table, its allowed additions and the gateway's additions are the codes openapi.yaml and the server use")
  void contractErrorTableMatches() throws IOException {
    String contract = java.nio.file.Files.readString(java.nio.file.Path.of("docs/API.md"));
    Map<String, Integer> documented = new java.util.TreeMap<>();
    String envelope = contract.substring(0, contract.indexOf("\n## 2."));
    Matcher row = Pattern.compile("(?m)^\\| ([1-5][0-9]{2}) \\| (.*) \\|$").matcher(envelope);
    while (row.find()) {
      Matcher code = Pattern.compile("`([a-z_]+)`").matcher(row.group(2));
      while (code.find()) {
        documented.put(code.group(1), Integer.parseInt(row.group(1)));
      }
    }
    // "`route_not_found` (404, ..." in the allowed additions and in the gateway's own additions.
    Matcher addition = Pattern.compile("`([a-z_]+)` \\(([1-5][0-9]{2})[,)]").matcher(contract);
    while (addition.find()) {
      documented.put(addition.group(1), Integer.parseInt(addition.group(2)));
    }
    Map<String, Integer> served = new java.util.TreeMap<>();
    for (ApiError error : ApiError.values()) {
      served.put(error.code(), error.status());
    }
    assertThat(documented).as("codes and statuses of docs/API.md").isEqualTo(served);
    assertThat(new TreeSet<>(document().errorCodes())).isEqualTo(served.keySet());
  }

  /**
   * "GET /v1/batches/{id}" for each method of each route with an exact path; the chain's
   * handlers (no method, no path, or a prefix such as /v1/*) are not endpoints.
   */
  private static Set<String> routes(Router router) {
    Set<String> routes = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> methods = route.methods();
      String path = route.getPath();
      // Vert.x reports a path with :params as a regex path; a true regex route has no path.
      if (methods == null || methods.isEmpty() || path == null || !route.isExactPath()) {
        continue;
      }
      String template = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      methods.forEach(method -> routes.add(method.name() + " " + template));
    }
    return routes;
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> difference = new TreeSet<>(a);
    difference.removeAll(b);
    return difference;
  }

  /**
   * The parts of openapi.yaml this test reads, taken line by line under the conventions stated at
   * the top of the document (no YAML library is on the test classpath): paths at column 2 under
   * {@code paths:}, operations at column 4, response statuses at column 8 under an operation's
   * {@code responses:}, error responses as one-line references to {@code components/responses},
   * each of which lists its codes on one {@code x-error-codes: [...]} line, and the {@code ErrorCode}
   * schema's codes one {@code - code} per line. Strict: anything else where these parts should be
   * fails the test instead of being skipped, so a document that drifts from the conventions cannot
   * pass by being misread.
   */
  static final class Outline {
    private static final Set<String> METHODS =
        Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> PATH_FIELDS =
        Set.of("summary", "description", "servers", "parameters");
    private static final Pattern KEY = Pattern.compile("([^\\s:#][^:]*):(?: (.*))?");
    private static final Pattern ERROR_REF =
        Pattern.compile("\\{\\$ref: '#/components/responses/([A-Za-z0-9]+)'}");
    private static final Pattern FLOW_ENUM = Pattern.compile("      x-error-codes: \\[(.*)]");
    private static final Pattern STATUS = Pattern.compile("        '([1-5][0-9]{2})':(.*)");

    private final List<String> lines;
    private final Set<String> operations = new TreeSet<>();
    private final Map<String, String> errorReferences = new LinkedHashMap<>();

    Outline(String yaml) {
      this.lines = yaml.lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("\t")) {
          fail("openapi.yaml line %d has a tab; indent with spaces", i + 1);
        }
      }
      readPaths();
    }

    /** "METHOD /path/{param}" for every operation under {@code paths:}. */
    Set<String> operations() {
      return operations;
    }

    /** "METHOD /path STATUS" → its name under components/responses, for statuses 400 and up. */
    Map<String, String> errorReferences() {
      return errorReferences;
    }

    /** Name → the codes its one {@code x-error-codes: [...]} line allows, for components/responses. */
    Map<String, List<String>> errorResponses() {
      Map<String, List<String>> codes = new LinkedHashMap<>();
      String name = null;
      for (String line : block(block(lines, "components:", 0), "responses:", 2)) {
        Matcher flowEnum = FLOW_ENUM.matcher(line);
        if (indent(line) == 4) {
          name = key(line, 4);
        } else if (name != null && flowEnum.matches()) {
          List<String> allowed =
              Arrays.stream(flowEnum.group(1).split(",")).map(String::trim).toList();
          if (codes.put(name, allowed) != null) {
            fail("components/responses/%s has more than one x-error-codes line", name);
          }
        }
      }
      return codes;
    }

    /** The entries of components/schemas/ErrorCode/enum. */
    List<String> errorCodes() {
      List<String> schemas = block(block(lines, "components:", 0), "schemas:", 2);
      List<String> codes = new ArrayList<>();
      for (String line : block(block(schemas, "ErrorCode:", 4), "enum:", 6)) {
        if (!line.startsWith("        - ") || line.substring(10).isBlank()) {
          fail("ErrorCode enum: expected '        - code', found '%s'", line);
        }
        codes.add(line.substring(10).trim());
      }
      return codes;
    }

    private void readPaths() {
      String path = null;
      String operation = null;
      String field = null;
      for (String line : block(lines, "paths:", 0)) {
        int indent = indent(line);
        if (indent == 2) {
          path = key(line, 2);
          operation = null;
          if (!path.startsWith("/")) {
            fail("paths: '%s' is not a path", path);
          }
        } else if (indent == 4) {
          String name = key(line, 4);
          operation = METHODS.contains(name) ? name.toUpperCase() + " " + path : null;
          if (operation == null && !PATH_FIELDS.contains(name)) {
            fail("paths %s: '%s' is neither an HTTP method nor a path field", path, name);
          }
          if (operation != null && !operations.add(operation)) {
            fail("%s is documented twice", operation);
          }
        } else if (indent == 6 && operation != null) {
          field = key(line, 6);
        } else if (indent == 8 && operation != null && "responses".equals(field)) {
          Matcher status = STATUS.matcher(line);
          if (!status.matches()) {
            fail("%s responses: expected a quoted status, found '%s'", operation, line);
          }
          if (Integer.parseInt(status.group(1)) >= 400) {
            Matcher ref = ERROR_REF.matcher(status.group(2).trim());
            if (!ref.matches()) {
              fail("%s %s: an error response must be {$ref: '#/components/responses/Name'}",
                  operation, status.group(1));
            }
            errorReferences.put(operation + " " + status.group(1), ref.group(1));
          }
        }
      }
    }

    /**
     * The lines nested under the key {@code key} at column {@code column} of {@code within}, up to
     * the next line at that column or less; blank and comment lines are left out.
     */
    private static List<String> block(List<String> within, String key, int column) {
      String head = " ".repeat(column) + key;
      int start = -1;
      for (int i = 0; i < within.size() && start < 0; i++) {
        if (within.get(i).equals(head) || within.get(i).startsWith(head + " ")) {
          start = i + 1;
        }
      }
      if (start < 0) {
        fail("openapi.yaml has no '%s' at column %d where expected", key, column);
      }
      List<String> body = new ArrayList<>();
      for (int i = start; i < within.size(); i++) {
        String line = within.get(i);
        if (line.isBlank() || line.trim().startsWith("#")) {
          continue;
        }
        if (indent(line) <= column) {
          break;
        }
        body.add(line);
      }
      return body;
    }

    private static String key(String line, int column) {
      Matcher m = KEY.matcher(line.substring(column));
      if (!m.matches()) {
        fail("expected 'key:' at column %d, found '%s'", column, line);
      }
      return m.group(1).trim();
    }

    private static int indent(String line) {
      int n = 0;
      while (n < line.length() && line.charAt(n) == ' ') {
        n++;
      }
      return n;
    }
  }
}
