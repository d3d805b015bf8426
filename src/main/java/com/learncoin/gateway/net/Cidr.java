package com.learncoin.gateway.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address or CIDR block; parsing never touches DNS. */
public record Cidr(byte[] network, int prefixLength) {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public static boolean isValid(String text) {
    return parse(text).isPresent();
  }

  public static Optional<Cidr> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    Optional<byte[]> bytes = literal(address);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    int max = bytes.get().length * 8;
    int prefix = max;
    if (slash >= 0) {
      String suffix = trimmed.substring(slash + 1);
      if (!suffix.matches("[0-9]{1,3}") || Integer.parseInt(suffix) > max) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(suffix);
    }
    return Optional.of(new Cidr(bytes.get(), prefix));
  }

  /** Bytes of an IP literal; IPv4-mapped IPv6 addresses come back as IPv4. */
  public static Optional<byte[]> literal(String address) {
    if (address == null || address.isEmpty() || address.length() > 45
        || !LITERAL.matcher(address).matches()
        || (address.indexOf(':') < 0 && !IPV4.matcher(address).matches())) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(address).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }
}
