package com.learncoin.gateway.support.hostile;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.learncoin.gateway.support.Envelope.Answer;
import com.learncoin.gateway.support.RawHttp;
import com.learncoin.gateway.support.Reply;
import com.learncoin.gateway.support.TestGateway;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Seeded hostile requests over every route; the gateway must refuse each for a reason the contract
 * names. This class holds what the generators share (the seed's Random, the keys, the way a case is
 * sent); {@link HostileBodies}, {@link HostileHeads} and {@link StructuralMutator} make the cases.
 */
public final class HostileCases {
  static final String ASCII = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`{|}~abcxyz";

  /** A request; {@code tolerated} starts the one problem accepted from it (a framework's own answer). */
  public record Case(String what, Supplier<Answer> send, String tolerated) {}

  final Random r;
  final TestGateway app;
  final String[] keys;
  final String tenant;
  final String keyId;
  private final List<Case> cases = new ArrayList<>();

  /** {@code keys}: test keys of industry tenants, used in turn so no tenant's bucket runs dry. */
  public HostileCases(TestGateway app, Random r, String[] keys) {
    this.app = app;
    this.r = r;
    this.keys = keys;
    this.tenant = app.tenant("industry");
    this.keyId = app.key(tenant, "test").getString("id");
  }

  /** At least {@code count} cases: the fixed ones, then a seeded mix of every generator. */
  public List<Case> generate(int count) {
    HostileBodies bodies = new HostileBodies(this);
    HostileHeads heads = new HostileHeads(this);
    StructuralMutator mutator = new StructuralMutator(this);
    bodies.fixedCases();
    heads.rawCases();
    while (cases.size() < count) {
      int dice = r.nextInt(100);
      if (dice < 22) {
        bodies.bodyCase();
      } else if (dice < 55) {
        mutator.next();
      } else if (dice < 65) {
        heads.headerCase();
      } else if (dice < 77) {
        heads.pathCase();
      } else if (dice < 84) {
        bodies.adminCase();
      } else if (dice < 97) {
        heads.routeCase();
      } else {
        heads.randomRaw();
      }
    }
    return cases;
  }

  int size() {
    return cases.size();
  }

  String key() {
    return keys[cases.size() % keys.length];
  }

  /** With java.net.http when it sends the request as is (printable ASCII, a valid URI), else raw bytes. */
  void send(String what, String method, String target, Supplier<byte[]> body, String... headers) {
    boolean plain = Arrays.stream(headers).allMatch(h -> h.chars().allMatch(c -> c >= 0x20 && c < 0x7F));
    try {
      URI.create("http://127.0.0.1" + target);
    } catch (IllegalArgumentException e) {
      plain = false;
    }
    String label = "#" + cases.size() + " " + (plain ? "" : "(raw) ") + RawHttp.prefix(what.getBytes(UTF_8));
    cases.add(new Case(label, plain ? () -> {
      Reply reply = app.send(method, target, body == null ? null : body.get(), headers);
      return Answer.of(reply);
    } : () -> {
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      byte[] bytes = body == null ? new byte[0] : body.get();
      head.append(body == null ? "" : "Content-Length: " + bytes.length + "\r\n").append("\r\n");
      return RawHttp.exchange(app.gateway().port(), RawHttp.concat(head.toString().getBytes(UTF_8), bytes));
    }, null));
  }

  /** Bytes on a socket, with a Host header unless the case is about it. */
  void raw(String request, boolean host, String tolerated) {
    int eol = request.indexOf("\r\n");
    String full = host && eol >= 0 && !request.contains("\nHost:")
        ? request.substring(0, eol + 2) + "Host: 127.0.0.1\r\n" + request.substring(eol + 2) : request;
    full += full.contains("\r\n\r\n") || full.contains("\n\n") ? "" : "Connection: close\r\n\r\n";
    byte[] bytes = full.getBytes(ISO_8859_1);
    cases.add(new Case("#" + cases.size() + " raw " + RawHttp.prefix(bytes),
        () -> RawHttp.exchange(app.gateway().port(), bytes), tolerated));
  }

  String encoded(int bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) r.nextInt(256)));
    }
    return out.toString();
  }

  String chars(String alphabet, int length) {
    int[] points = alphabet.codePoints().toArray();
    StringBuilder out = new StringBuilder(length);
    while (out.length() < length) {
      out.appendCodePoint(points[r.nextInt(points.length)]);
    }
    return out.toString();
  }

  <T> T pick(T[] options) {
    return options[r.nextInt(options.length)];
  }
}
