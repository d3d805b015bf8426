package com.learncoin.gateway.credential;

import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.api.RdfQuadConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RDF of a credential of our own shape (what {@link OpenBadgeCredentials#build} and
 * {@link StatusListCredentials#entry} emit) without JSON-LD expansion, which is most of the cost
 * of signing. A document's "skeleton" is its JSON with every string value replaced by a marker
 * IRI (except {@code @context} and {@code type} values, kept as they are). The first document of
 * a skeleton goes through the full titanium path with the markers; the quads it yields, with each
 * marker as a slot, are the template for every later document of that skeleton: the slots are
 * filled with its values. This is sound because, for these keys, a string value only ever
 * becomes a literal (its lexical form, whatever the string) or an IRI (the string itself, when it
 * is an absolute IRI whose scheme is not a context term; anything else falls back).
 *
 * <p>Anything else (other keys, non-string values, a marker that does not come out as a whole
 * term, an error on the marker document) uses the full path: {@link #emit} returns false.
 */
final class FastCanonicalization {
  private static final String MARKER = CredentialSkeleton.MARKER;
  private static final int MAX_TEMPLATES = 4096;
  private static final Template UNSUPPORTED = new Template(null, null);

  /** The full path: expanded, checked and turned into quads by titanium. */
  interface FullPath {
    void toRdf(jakarta.json.JsonObject document, RdfQuadConsumer out) throws Exception;
  }

  private final FullPath fullPath;
  /** Every key of every bundled context (terms, scoped ones included): no IRI prefix may be one. */
  private final Set<String> contextTerms;
  private final Map<String, Template> templates = new ConcurrentHashMap<>();

  FastCanonicalization(BundledContexts contexts, FullPath fullPath) {
    this.fullPath = fullPath;
    Set<String> terms = new HashSet<>();
    for (String url : contexts.urls()) {
      collectKeys(contexts.get(url), terms);
    }
    this.contextTerms = Set.copyOf(terms);
  }

  /** Feeds the document's quads to {@code out}; false (nothing fed) when it is not our shape. */
  boolean emit(JsonObject document, RdfQuadConsumer out) throws RdfConsumerException {
    List<String> values = new ArrayList<>(32);
    JsonObject skeleton = CredentialSkeleton.of(document, values);
    if (skeleton == null) {
      return false;
    }
    String key = skeleton.encode();
    Template template = templates.get(key);
    if (template == null) {
      template = template(skeleton, values.size());
      if (templates.size() >= MAX_TEMPLATES) {
        templates.clear();
      }
      templates.putIfAbsent(key, template);
    }
    if (template == UNSUPPORTED) {
      return false;
    }
    for (int slot : template.iriSlots) {
      if (!plainAbsoluteIri(values.get(slot))) {
        return false;
      }
    }
    Set<List<String>> seen = new HashSet<>();
    String[] quad = new String[7];
    for (Object[] terms : template.quads) {
      for (int i = 0; i < 7; i++) {
        Object term = terms[i];
        quad[i] = term instanceof Integer slot ? values.get(slot) : (String) term;
      }
      // Equal ids merge nodes in JSON-LD, so filled-in quads may repeat: the dataset is a set.
      if (seen.add(Arrays.asList(quad.clone()))) {
        out.quad(quad[0], quad[1], quad[2], quad[3], quad[4], quad[5], quad[6]);
      }
    }
    return true;
  }

  /** Runs the marker document through the full path and turns its quads into a template. */
  private Template template(JsonObject skeleton, int slots) {
    List<String[]> recorded = new ArrayList<>();
    try {
      fullPath.toRdf(JakartaJson.of(skeleton), new RdfQuadConsumer() {
        @Override
        public RdfQuadConsumer quad(String subject, String predicate, String object,
            String datatype, String language, String direction, String graph) {
          recorded.add(new String[] {subject, predicate, object, datatype, language, direction,
              graph});
          return this;
        }
      });
    } catch (Exception e) {
      return UNSUPPORTED;
    }
    boolean[] seen = new boolean[slots];
    Set<Integer> iriSlots = new HashSet<>();
    List<Object[]> quads = new ArrayList<>(recorded.size());
    for (String[] terms : recorded) {
      Object[] template = new Object[7];
      boolean literal = RdfQuadConsumer.isLiteral(terms[3], terms[4], terms[5]);
      for (int i = 0; i < 7; i++) {
        String term = terms[i];
        if (term == null || !term.contains(MARKER)) {
          template[i] = term;
          continue;
        }
        Integer slot = slotOf(term, slots);
        // A marker must be a whole subject, object or graph term (not a predicate or datatype).
        if (slot == null || !(i == 0 || i == 2 || i == 6)) {
          return UNSUPPORTED;
        }
        seen[slot] = true;
        if (i != 2 || !literal) {
          iriSlots.add(slot);
        }
        template[i] = slot;
      }
      quads.add(template);
    }
    for (boolean used : seen) {
      if (!used) {
        return UNSUPPORTED;  // a value that does not reach the RDF: leave it to the full path
      }
    }
    return new Template(quads, iriSlots.stream().mapToInt(Integer::intValue).toArray());
  }

  private static Integer slotOf(String term, int slots) {
    if (!term.startsWith(MARKER)) {
      return null;
    }
    try {
      int slot = Integer.parseInt(term.substring(MARKER.length()));
      return slot >= 0 && slot < slots && term.equals(MARKER + slot) ? slot : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * An IRI that JSON-LD keeps exactly as written: scheme ":" then printable ASCII without
   * whitespace or IRI-excluded characters, and a scheme that is no term (a compact IRI would
   * expand) nor "_" (a blank node). Stricter than the full path on purpose: the rest falls back.
   */
  boolean plainAbsoluteIri(String value) {
    int colon = value.indexOf(':');
    if (colon < 1) {
      return false;
    }
    char first = value.charAt(0);
    if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
      return false;
    }
    for (int i = 1; i < colon; i++) {
      char c = value.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+'
          || c == '-' || c == '.')) {
        return false;
      }
    }
    for (int i = colon + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '{' || c == '}'
          || c == '|' || c == '\\' || c == '^' || c == '`') {
        return false;
      }
    }
    return !contextTerms.contains(value.substring(0, colon));
  }

  private static void collectKeys(JsonValue value, Set<String> keys) {
    if (value instanceof jakarta.json.JsonObject object) {
      for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
        keys.add(entry.getKey());
        collectKeys(entry.getValue(), keys);
      }
    } else if (value instanceof jakarta.json.JsonArray array) {
      for (JsonValue item : array) {
        collectKeys(item, keys);
      }
    }
  }

  private static void collectKeys(JsonStructure value, Set<String> keys) {
    collectKeys((JsonValue) value, keys);
  }

  /** Quads whose terms are strings (as recorded) or Integer slots; IRI slots to validate. */
  private record Template(List<Object[]> quads, int[] iriSlots) {}
}
