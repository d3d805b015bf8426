package com.learncoin.gateway.webhook;

import com.learncoin.gateway.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may point: an absolute https URL ({@code http} for test keys only) whose host
 * resolves only to public addresses. Loopback, private, link-local, unique-local, CGNAT,
 * benchmarking (198.18.0.0/15), multicast, unspecified and IPv4-embedding IPv6 (IPv4-compatible,
 * NAT64, 6to4, Teredo) targets are refused (an SSRF guard) unless configuration allows them.
 * Checked at creation and again before every delivery, since DNS answers change; a delivery then
 * connects to the address that was checked, not to a second lookup (DNS rebinding).
 */
public final class WebhookUrls {
  static final int MAX_LENGTH = 2048;

  private final Vertx vertx;
  private final boolean allowPrivate;

  WebhookUrls(Vertx vertx, boolean allowPrivate) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
  }

  /** The URL's syntax; throws a 400 naming {@code url}. */
  static URI parse(Object value, boolean live) {
    if (value == null) {
      throw ApiError.MISSING_REQUIRED_FIELD.exception("url is required: an absolute https URL.");
    }
    if (!(value instanceof String text) || text.length() > MAX_LENGTH) {
      throw invalid("url must be a string of at most " + MAX_LENGTH + " characters.");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid("url must be an absolute https URL, e.g. https://example.com/webhooks.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean allowed = "https".equals(scheme) || (!live && "http".equals(scheme));
    if (!allowed || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw invalid("url must be an absolute " + (live ? "https" : "http(s)") + " URL without "
          + "user info or fragment, e.g. https://example.com/webhooks" + (live
          ? "; live endpoints must use https." : "."));
    }
    return uri;
  }

  /** At registration: the host must resolve to public addresses only (unless allowed). */
  Future<Void> checkTarget(URI uri) {
    return allowPrivate ? Future.succeededFuture() : resolve(uri).mapEmpty();
  }

  /**
   * Before a delivery: resolves the host off the event loop and refuses non-public targets
   * (unless configuration allows them); the address to connect to.
   */
  Future<InetAddress> resolve(URI uri) {
    String host = uri.getHost();
    return vertx.executeBlocking(() -> {
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(host.startsWith("[") && host.endsWith("]")
            ? host.substring(1, host.length() - 1) : host);
      } catch (UnknownHostException e) {
        throw invalid("url: the host " + host + " does not resolve.");
      }
      for (InetAddress address : addresses) {
        if (!allowPrivate && !isPublic(address)) {
          throw invalid("url: the host " + host + " resolves to a private, loopback or "
              + "link-local address; webhooks must target a public address.");
        }
      }
      return addresses[0];
    }, false);
  }

  /** Whether {@code address} is a public one: the SSRF guard of webhooks and did:web fetches. */
  public static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress() || address.isSiteLocalAddress()
        || address.isLinkLocalAddress() || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      int third = b[2] & 0xff;
      return first != 0 && !(first == 100 && second >= 64 && second < 128)
          && !(first == 192 && second == 0 && third == 0)
          && !(first == 198 && (second & 0xfe) == 18) // 198.18.0.0/15, benchmarking
          && !(first == 192 && second == 88 && third == 99) // 6to4 relays
          && first < 240;
    }
    if ((b[0] & 0xfe) == 0xfc) {
      return false;
    }
    if (prefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)) {
      try {
        return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    // IPv6 forms that carry an IPv4 address to a translator or tunnel, which may deliver to a
    // private or loopback IPv4 target: IPv4-compatible ::/96, NAT64 64:ff9b::/96 and
    // 64:ff9b:1::/48, 6to4 2002::/16 and Teredo 2001::/32. Refused whole: no webhook needs them.
    return !prefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        && !prefix(b, 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)
        && !prefix(b, 0, 0x64, 0xff, 0x9b, 0, 1)
        && !prefix(b, 0x20, 0x02)
        && !prefix(b, 0x20, 0x01, 0, 0);
  }

  private static boolean prefix(byte[] address, int... start) {
    for (int i = 0; i < start.length; i++) {
      if ((address[i] & 0xff) != start[i]) {
        return false;
      }
    }
    return true;
  }

  private static RuntimeException invalid(String message) {
    return ApiError.INVALID_FIELD_FORMAT.exception(message);
  }
}
