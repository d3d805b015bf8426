package com.learncoin.gateway.credential;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.JsonLdOptions.ProcessingPolicy;
import com.apicatalog.jsonld.JsonLdOptions.RdfDirection;
import com.apicatalog.jsonld.context.ActiveContext;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.jsonld.expansion.Expansion;
import com.apicatalog.jsonld.json.JsonUtils;
import com.apicatalog.jsonld.lang.Keywords;
import com.apicatalog.jsonld.processor.ExpansionProcessor;
import com.apicatalog.jsonld.processor.ProcessingRuntime;
import com.apicatalog.jsonld.processor.ToRdfProcessor;
import com.apicatalog.jsonld.uri.UriValidationPolicy;
import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.api.RdfQuadConsumer;
import com.apicatalog.rdf.canon.RdfCanon;
import com.apicatalog.rdf.canon.RdfCanonTicker;
import com.apicatalog.rdf.nquads.NQuadsWriter;
import io.vertx.core.json.JsonObject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RDFC-1.0 canonical N-Quads of a JSON-LD document, as eddsa-rdfc-2022 needs them: JSON-LD to RDF
 * with titanium (contexts only from {@link BundledContexts}), then titanium-rdfc. Safe mode like
 * jsonld.js (titanium's undefined-term policy plus {@link SafeMode}): what would silently drop out
 * of the RDF, and so out of the signature, fails instead.
 *
 * <p>Speed: turning the VC 2.0 + OB 3.0.3 contexts into an active context costs more than all the
 * rest of signing, so an active context is built once per distinct top-level {@code @context} made
 * of bundled URLs and reused; the document is then expanded from it (the same steps titanium's
 * ExpansionProcessor takes after processing {@code @context}). Active contexts are never mutated
 * after creation (titanium copies them to derive scoped ones), so sharing across threads is safe.
 * This leans on titanium 1.6's public-but-internal classes (ActiveContext, Expansion,
 * ToRdfProcessor): re-run the interop tests when upgrading it. Documents of our own credential
 * shape skip expansion altogether ({@link FastCanonicalization}, checked against this path by
 * FastCanonicalizationTest).
 */
final class Canonicalizer {
  /** Bounds the cache: verify() sees documents from the outside, with any @context list. */
  private static final int MAX_PREPARED = 32;

  private final BundledContexts contexts;
  private final JsonLdOptions options;
  private final Map<String, ActiveContext> prepared = new ConcurrentHashMap<>();
  private final FastCanonicalization fast;

  Canonicalizer(BundledContexts contexts) {
    this.contexts = contexts;
    this.options = new JsonLdOptions(contexts);
    // As jsonld.js does for the verifiers: no generalized RDF (titanium's default is on),
    // i18n-datatype for @direction, and an undefined term is an error, not a silent drop.
    options.setProduceGeneralizedRdf(false);
    options.setRdfDirection(RdfDirection.I18N_DATATYPE);
    options.setUndefinedTermsPolicy(ProcessingPolicy.Fail);
    // jsonld.js takes any "scheme:non-space" as an absolute IRI; titanium's default parses each
    // one with java.net.URI (a tenth of the signing time, and stricter than the verifiers).
    options.setUriValidation(UriValidationPolicy.SchemeOnly);
    // The default context cache is an unsynchronized LRU map; contexts are in memory anyway.
    options.setContextCache(null);
    options.setDocumentCache(null);
    this.fast = new FastCanonicalization(contexts, this::toRdf);
  }

  /**
   * Our own credentials take {@link FastCanonicalization} (the same quads, without expansion);
   * everything else, and anything it is unsure of, the full titanium path.
   */
  String canonicalize(JsonObject document) throws JsonLdError {
    RdfCanon canon = RdfCanon.create("SHA-256");
    boolean done;
    try {
      done = fast.emit(document, canon);
    } catch (RdfConsumerException e) {
      throw new IllegalStateException("canonicalization failed", e);
    }
    if (!done) {
      toRdf(JakartaJson.of(document), canon);
    }
    return write(canon);
  }

  /** The full titanium path only: for documents from outside, and to check the fast path. */
  String canonicalizeWithTitanium(JsonObject document) throws JsonLdError {
    return canonicalize(statements(document), RdfCanonTicker.EMPTY);
  }

  /** The statements of a document by the full titanium path (what a proof over it signs). */
  RdfStatements statements(JsonObject document) throws JsonLdError {
    RdfStatements.Collector out = new RdfStatements.Collector();
    toRdf(JakartaJson.of(document), out);
    return out.statements();
  }

  /** The full path within one verification's budget: sizes first, then steps and deadline. */
  String canonicalize(JsonObject document, VerifyLimits.Budget budget) throws JsonLdError {
    RdfStatements statements = statements(document);
    budget.checkSize(statements);
    budget.checkDeadline();
    return canonicalize(statements, budget);
  }

  /** RDFC-1.0 of {@code statements}; {@code ticker} is called all along and may throw to stop. */
  String canonicalize(RdfStatements statements, RdfCanonTicker ticker) {
    RdfCanon canon = RdfCanon.create("SHA-256", ticker);
    try {
      statements.replay(canon);
    } catch (RdfConsumerException e) {
      throw new IllegalStateException("canonicalization failed", e);
    }
    return write(canon);
  }

  /** The fast path only: null when the document is not of a shape it takes. */
  String canonicalizeFast(JsonObject document) {
    RdfCanon canon = RdfCanon.create("SHA-256");
    try {
      return fast.emit(document, canon) ? write(canon) : null;
    } catch (RdfConsumerException e) {
      throw new IllegalStateException("canonicalization failed", e);
    }
  }

  private void toRdf(jakarta.json.JsonObject json, RdfQuadConsumer consumer) throws JsonLdError {
    JsonArray expanded = expand(json);
    SafeMode.check(expanded);
    ToRdfProcessor.toRdf(consumer, expanded, options);
  }

  private static String write(RdfCanon canon) {
    StringBuilder out = new StringBuilder(4096);
    try {
      canon.provide(new NQuadsWriter(new StringBuilderWriter(out)));
    } catch (RdfConsumerException e) {
      throw new IllegalStateException("writing canonical N-Quads failed", e);
    }
    return out.toString();
  }

  private JsonArray expand(jakarta.json.JsonObject json) throws JsonLdError {
    ActiveContext active = prepared(json.get(Keywords.CONTEXT));
    if (active == null) {
      return ExpansionProcessor.expand(JsonDocument.of(json), options, false);
    }
    JsonObjectBuilder body = BundledContexts.JSON.createObjectBuilder(json);
    body.remove(Keywords.CONTEXT);
    JsonValue expanded = Expansion.with(active, body.build(), null, null)
        .frameExpansion(false).ordered(false).compute();
    if (JsonUtils.isObject(expanded) && expanded.asJsonObject().size() == 1
        && expanded.asJsonObject().containsKey(Keywords.GRAPH)) {
      expanded = expanded.asJsonObject().get(Keywords.GRAPH);
    }
    return JsonUtils.isNull(expanded)
        ? JsonValue.EMPTY_JSON_ARRAY : JsonUtils.toJsonArray(expanded);
  }

  /** The active context for a @context of bundled URLs, built on first use; null for others. */
  private ActiveContext prepared(JsonValue context) throws JsonLdError {
    if (!allBundled(context)) {
      return null;
    }
    String key = context.toString();
    ActiveContext active = prepared.get(key);
    if (active == null) {
      active = new ActiveContext(null, null, ProcessingRuntime.of(options))
          .newContext().create(context, null);
      if (prepared.size() < MAX_PREPARED) {
        prepared.putIfAbsent(key, active);
      }
    }
    return active;
  }

  private boolean allBundled(JsonValue context) {
    if (context instanceof JsonString url) {
      return contexts.get(url.getString()) != null;
    }
    if (!(context instanceof jakarta.json.JsonArray urls) || urls.isEmpty()) {
      return false;
    }
    for (JsonValue url : urls) {
      if (!(url instanceof JsonString text) || contexts.get(text.getString()) == null) {
        return false;
      }
    }
    return true;
  }

  /** Not a StringWriter: its StringBuffer takes a lock on every append. */
  private static final class StringBuilderWriter extends Writer {
    private final StringBuilder out;

    StringBuilderWriter(StringBuilder out) {
      this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      out.append(chars, offset, length);
    }

    @Override
    public void write(String text) {
      out.append(text);
    }

    @Override
    public void write(int c) {
      out.append((char) c);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
