package com.learncoin.gateway.identity;

import com.learncoin.gateway.webhook.WebhookUrls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Fetches a did:web DID document the way the did:web method says ({@code https://<host>/.well-known
 * /did.json}, or {@code https://<host>/<path>/did.json}): https only, to public addresses only
 * (the webhooks' SSRF guard; configuration may allow others, as tests do), at most 64 KB within
 * 5 s, no redirects. The connection goes to the address that was checked (no second DNS answer).
 */
public final class DidWebDocuments {
  static final int MAX_BYTES = 64 * 1024;
  static final long TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final boolean allowPrivate;

  /** {@code trustPem}: a PEM certificate to trust instead of the JDK's roots (tests, private CAs). */
  public DidWebDocuments(Vertx vertx, boolean allowPrivate, Optional<String> trustPem) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
    HttpClientOptions options = new HttpClientOptions().setSsl(true)
        .setConnectTimeout((int) TIMEOUT_MILLIS).setKeepAlive(false).setMaxRedirects(0);
    trustPem.ifPresent(path -> options.setTrustOptions(new PemTrustOptions().addCertPath(path)));
    this.client = vertx.createHttpClient(options);
  }

  /** Where the document of {@code did} (a valid did:web) is published. */
  public static URI documentUrl(String did) {
    String[] parts = did.substring("did:web:".length()).split(":");
    StringBuilder url = new StringBuilder("https://")
        .append(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
    if (parts.length == 1) {
      url.append("/.well-known");
    }
    for (int i = 1; i < parts.length; i++) {
      url.append('/').append(parts[i]);
    }
    return URI.create(url.append("/did.json").toString());
  }

  /** The document, or a failure whose message says what was wrong, for the tenant to read. */
  public Future<JsonObject> fetch(String did) {
    URI url = documentUrl(did);
    int port = url.getPort() == -1 ? 443 : url.getPort();
    return resolve(url.getHost())
        .compose(address -> client.request(new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url.toString())
            .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
            .setConnectTimeout(TIMEOUT_MILLIS)
            .setIdleTimeout(TIMEOUT_MILLIS)
            .setFollowRedirects(false)
            .putHeader("Accept", "application/did+json, application/json")
            .putHeader("User-Agent", "LearnCoin-DidWeb/1")))
        .compose(request -> request.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            response.end();
            return Future.failedFuture(url + " answered HTTP " + response.statusCode());
          }
          Buffer body = Buffer.buffer();
          response.handler(chunk -> {
            body.appendBuffer(chunk);
            if (body.length() > MAX_BYTES) {
              response.request().reset();
            }
          });
          return response.end().map(v -> body);
        })
        .timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(e.getMessage() != null && e.getMessage().startsWith(url
            .toString()) ? e.getMessage() : url + " could not be fetched: " + e.getMessage()))
        .compose(body -> {
          if (body.length() > MAX_BYTES) {
            return Future.failedFuture(url + " is larger than " + MAX_BYTES + " bytes");
          }
          try {
            return Future.succeededFuture(new JsonObject(body));
          } catch (RuntimeException notJson) {
            return Future.failedFuture(url + " is not a JSON object");
          }
        });
  }

  private Future<InetAddress> resolve(String host) {
    return vertx.executeBlocking(() -> {
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("the host " + host + " does not resolve");
      }
      for (InetAddress address : addresses) {
        if (!allowPrivate && !WebhookUrls.isPublic(address)) {
          throw new IllegalStateException("the host " + host + " resolves to a private, loopback "
              + "or link-local address");
        }
      }
      return addresses[0];
    }, false);
  }
}
