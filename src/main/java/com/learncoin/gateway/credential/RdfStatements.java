package com.learncoin.gateway.credential;

import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.api.RdfQuadConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The RDF statements of a JSON-LD document, as titanium produced them: exactly what an
 * eddsa-rdfc-2022 proof signs. Whatever a check reads from a signed document it reads here, never
 * from JSON keys, which a full IRI or an alias can rename without changing a statement.
 */
public final class RdfStatements {
  private static final String BLANK = "_:";

  /** One statement; {@code datatype} is null for an IRI or blank-node object, graph null: default. */
  public record Quad(String subject, String predicate, String object, String datatype,
      String language, String direction, String graph) {
    public boolean literal() {
      return datatype != null;
    }
  }

  private final List<Quad> quads;

  private RdfStatements(List<Quad> quads) {
    this.quads = List.copyOf(quads);
  }

  public int size() {
    return quads.size();
  }

  /** Distinct blank nodes in any position: what RDFC-1.0's cost grows with. */
  public int blankNodes() {
    Set<String> blanks = new HashSet<>();
    for (Quad quad : quads) {
      addIfBlank(quad.subject(), blanks);
      if (!quad.literal()) {
        addIfBlank(quad.object(), blanks);
      }
      addIfBlank(quad.graph(), blanks);
    }
    return blanks.size();
  }

  /** The objects of {@code subject predicate ?} in the default graph, in document order. */
  public List<Quad> objects(String subject, String predicate) {
    return quads.stream().filter(q -> q.graph() == null && q.subject().equals(subject)
        && q.predicate().equals(predicate)).toList();
  }

  /** The subjects of {@code ? predicate object} in the default graph (e.g. rdf:type X). */
  public List<String> subjects(String predicate, String object) {
    return quads.stream().filter(q -> q.graph() == null && !q.literal()
        && q.predicate().equals(predicate) && q.object().equals(object))
        .map(Quad::subject).distinct().toList();
  }

  void replay(RdfQuadConsumer out) throws RdfConsumerException {
    for (Quad q : quads) {
      out.quad(q.subject(), q.predicate(), q.object(), q.datatype(), q.language(),
          q.direction(), q.graph());
    }
  }

  private static void addIfBlank(String term, Set<String> blanks) {
    if (term != null && term.startsWith(BLANK)) {
      blanks.add(term);
    }
  }

  /** Collects what titanium emits. */
  static final class Collector implements RdfQuadConsumer {
    private final List<Quad> quads = new ArrayList<>();

    @Override
    public RdfQuadConsumer quad(String subject, String predicate, String object,
        String datatype, String language, String direction, String graph) {
      quads.add(new Quad(subject, predicate, object, datatype, language, direction, graph));
      return this;
    }

    RdfStatements statements() {
      return new RdfStatements(quads);
    }
  }
}
