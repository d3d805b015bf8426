package com.learncoin.gateway.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Vert.x's HTTP/1.1 request decoder, except that a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is invalid (RFC 9112 §6.3) instead of silently read as chunked: a
 * proxy in front that frames by Content-Length would see a different request end than this server
 * (request smuggling). The invalid request gets a 400 and its connection is closed.
 *
 * <p>Netty leaves this decision to a subclass
 * ({@code handleTransferEncodingChunkedWithContentLength});
 * Vert.x has no option for it, so the decoder is swapped on each new connection, before it reads.
 */
public final class StrictFraming extends VertxHttpRequestDecoder {
  public static final String CONFLICT = "Content-Length together with Transfer-Encoding";
  private static final String DECODER = "httpDecoder";

  private StrictFraming(HttpServerOptions options) {
    super(options);
  }

  /** For {@code HttpServer.connectionHandler}; a connection it cannot guard is closed. */
  public static boolean install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
        pipeline.replace(DECODER, DECODER, new StrictFraming(options));
        return true;
      }
    }
    connection.close(); // a Vert.x upgrade moved the decoder: refuse rather than run unguarded
    return false;
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // Netty turns this exception into an invalid request, and skips the rest of the connection.
    throw new IllegalArgumentException(CONFLICT);
  }
}
