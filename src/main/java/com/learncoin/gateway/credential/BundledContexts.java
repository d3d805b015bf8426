package com.learncoin.gateway.credential;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.document.Document;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.jsonld.http.media.MediaType;
import com.apicatalog.jsonld.loader.DocumentLoader;
import com.apicatalog.jsonld.loader.DocumentLoaderOptions;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The only document loader canonicalization uses: the JSON-LD contexts bundled under
 * resources/contexts (index.json maps URL to file), parsed once. Any other URL fails, so signing
 * and verifying never touch the network and a document cannot make us fetch something.
 */
final class BundledContexts implements DocumentLoader {
  private static final String DIRECTORY = "/contexts/";
  static final JsonProvider JSON = JsonProvider.provider();

  private final Map<String, JsonStructure> documents;

  private BundledContexts(Map<String, JsonStructure> documents) {
    this.documents = Map.copyOf(documents);
  }

  static BundledContexts load() {
    JsonObject index = (JsonObject) read("index.json");
    Map<String, JsonStructure> documents = new TreeMap<>();
    for (Map.Entry<String, jakarta.json.JsonValue> entry : index.entrySet()) {
      documents.put(entry.getKey(), read(((JsonString) entry.getValue()).getString()));
    }
    return new BundledContexts(documents);
  }

  Set<String> urls() {
    return documents.keySet();
  }

  /** The parsed context document (immutable jakarta.json), or null when it is not bundled. */
  JsonStructure get(String url) {
    return documents.get(url);
  }

  @Override
  public Document loadDocument(URI url, DocumentLoaderOptions options) throws JsonLdError {
    JsonStructure json = documents.get(url.toString());
    if (json == null) {
      throw new JsonLdError(JsonLdErrorCode.LOADING_DOCUMENT_FAILED, "JSON-LD context " + url
          + " is not bundled (resources/contexts/index.json); contexts are never fetched");
    }
    // A fresh wrapper per load: JsonDocument has setters, the parsed JSON under it is immutable.
    JsonDocument document = JsonDocument.of(MediaType.JSON_LD, json);
    document.setDocumentUrl(url);
    return document;
  }

  private static JsonStructure read(String file) {
    try (InputStream in = BundledContexts.class.getResourceAsStream(DIRECTORY + file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DIRECTORY + file);
      }
      try (JsonReader reader = JSON.createReader(in)) {
        return reader.read();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
