package com.learncoin.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An issuer's web site on loopback: https with its own self-signed certificate for localhost, so a
 * gateway trusting {@link #certificatePath()} resolves {@code did:web:localhost%3A<port>} DIDs
 * from it. Documents are set per path and can change at any time; any other path is 404.
 */
public final class DidWebServer implements AutoCloseable {
  private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
  private final Map<String, String> documents = new ConcurrentHashMap<>();
  private final HttpServer server;

  public DidWebServer(Vertx vertx) {
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
            .setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(request -> {
          String body = documents.get(request.path());
          if (body == null) {
            request.response().setStatusCode(404).end();
          } else {
            request.response().putHeader("Content-Type", "application/did+json").end(body);
          }
        });
    server.listen(0).await();
  }

  /** The PEM certificate a gateway must trust (LEARNCOIN_DID_WEB_TRUST_PEM). */
  public String certificatePath() {
    return certificate.certificatePath();
  }

  /** {@code did:web:localhost%3A<port>}, plus {@code :segment}s. */
  public String did(String... segments) {
    return "did:web:localhost%3A" + server.actualPort()
        + (segments.length == 0 ? "" : ":" + String.join(":", segments));
  }

  /** Serves {@code document} at the did.json URL of {@code did} (one of this server's). */
  public void publish(String did, JsonObject document) {
    documents.put(path(did), document.encode());
  }

  public void publishRaw(String did, String body) {
    documents.put(path(did), body);
  }

  public void unpublish(String did) {
    documents.remove(path(did));
  }

  private static String path(String did) {
    String[] parts = did.split(":");
    return parts.length == 3 ? "/.well-known/did.json"
        : "/" + String.join("/", java.util.Arrays.copyOfRange(parts, 3, parts.length)) + "/did.json";
  }

  @Override
  public void close() {
    server.close().await();
    certificate.delete();
  }
}
