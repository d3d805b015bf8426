package com.learncoin.gateway.support;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.learncoin.gateway.support.Envelope.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 as bytes on a socket, for what java.net.http will not send or would hide. Two uses:
 * <ul>
 *   <li>{@link #exchange} and {@link #read}: any bytes out, the answer's head and body back as an
 *   {@link Answer} (for contract checks on hostile or hand-built requests);
 *   <li>{@link #send} and {@link #open}: a well-formed request with {@code Connection: close}, and
 *   the {@link Fate} of it, so a test sees exactly what a client sees when the server goes away
 *   (a pooled client would retry or hide which of these happened).
 * </ul>
 */
public final class RawHttp {
  private RawHttp() {}

  /** One request on its own connection, read to Content-Length or close; null when closed unanswered. */
  public static Answer exchange(int port, byte[] request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      try {
        socket.getOutputStream().write(request);
      } catch (IOException e) {
        // the server may answer and close before it has read everything
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next answer on a connection, read to Content-Length or close; null when closed unanswered. */
  public static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8_192];
    int headEnd = -1;
    long total = Long.MAX_VALUE;
    Map<String, String> headers = new HashMap<>();
    try {
      for (int n; out.size() < total && (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        String text = out.toString(ISO_8859_1);
        if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
          for (String line : text.substring(0, headEnd).split("\r\n")) {
            int colon = line.indexOf(':');
            headers.put(colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(),
                line.substring(colon + 1).trim());
          }
          String length = headers.get("content-length");
          total = length == null ? total : headEnd + 4 + Long.parseLong(length);
        }
      }
    } catch (SocketTimeoutException e) {
      if (headEnd < 0) {
        throw e; // a head whose body neither ends nor closes is judged by its head
      }
    }
    byte[] all = out.toByteArray();
    if (headEnd < 0 && all.length > 0) {
      throw new IllegalStateException("no HTTP response head in " + prefix(all));
    }
    return headEnd < 0 ? null : new Answer(Integer.parseInt(new String(all, 0, headEnd, ISO_8859_1)
        .split(" ", 3)[1]), headers.get("content-type"), headers.get("x-request-id"),
        Arrays.copyOfRange(all, headEnd + 4, all.length), headers);
  }

  /** The first 120 bytes as printable text, for failure messages. */
  public static String prefix(byte[] bytes) {
    String text = new String(bytes, 0, Math.min(bytes.length, 120), UTF_8).replaceAll("\\p{Cntrl}", "?");
    return bytes.length > 120 ? text + "...(" + bytes.length + " bytes)" : text;
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }

  // --- A request on a connection of its own, and what became of it ---

  /** What came back, and how completely. */
  public enum Fate { REFUSED, CLOSED_BEFORE_ANSWER, CUT_MID_ANSWER, COMPLETE }

  /** The answer; status, request id and body only when {@code fate} is COMPLETE. */
  public record Outcome(Fate fate, int status, String requestId, String body) {
    @Override
    public String toString() {
      return fate + (fate == Fate.COMPLETE ? " " + status + " " + requestId : "");
    }
  }

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");
  private static final Pattern REQUEST_ID = Pattern.compile("(?im)^x-request-id:\\s*(\\S+)");

  /** A whole request, sent at once. */
  public static Outcome send(int port, String method, String path, String headers, byte[] body) {
    PartlySent request;
    try {
      request = open(port, method, path, headers, body, body.length);
    } catch (ConnectException e) {
      return new Outcome(Fate.REFUSED, 0, null, null);
    } catch (IOException e) {
      return new Outcome(Fate.CLOSED_BEFORE_ANSWER, 0, null, null);
    }
    return request.finish(body, body.length);
  }

  /** Sends the request line, headers and the first {@code sentNow} bytes of the body. */
  public static PartlySent open(int port, String method, String path, String headers, byte[] body,
      int sentNow) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + headers + "Content-Length: " + body.length + "\r\n\r\n").getBytes(UTF_8));
    out.write(body, 0, sentNow);
    out.flush();
    return new PartlySent(socket);
  }

  /** A request whose head is sent and whose body may not be, yet. */
  public static final class PartlySent {
    private final Socket socket;

    private PartlySent(Socket socket) {
      this.socket = socket;
    }

    /** Sends the rest of the body (from {@code sent}) and reads the answer to the end. */
    public Outcome finish(byte[] body, int sent) {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try (socket) {
        socket.getOutputStream().write(body, sent, body.length - sent);
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // A reset: judged below by what had arrived before it.
      }
      return judge(received.toByteArray());
    }
  }

  /** Read to the close, so a short body is told apart from a whole one: COMPLETE or CUT_MID_ANSWER. */
  private static Outcome judge(byte[] bytes) {
    if (bytes.length == 0) {
      return new Outcome(Fate.CLOSED_BEFORE_ANSWER, 0, null, null);
    }
    String text = new String(bytes, ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    Matcher length = CONTENT_LENGTH.matcher(end < 0 ? "" : text.substring(0, end));
    if (end < 0 || !length.find()
        || bytes.length - end - 4 < Integer.parseInt(length.group(1))) {
      return new Outcome(Fate.CUT_MID_ANSWER, 0, null, text);
    }
    Matcher id = REQUEST_ID.matcher(text.substring(0, end));
    String body = new String(bytes, end + 4, Integer.parseInt(length.group(1)), UTF_8);
    return new Outcome(Fate.COMPLETE, Integer.parseInt(text.substring(9, 12)),
        id.find() ? id.group(1) : null, body);
  }

  /** Header lines for an API key and JSON, each ending in CRLF. */
  public static String apiHeaders(String apiKey, String... more) {
    StringBuilder headers = new StringBuilder("Authorization: Bearer " + apiKey
        + "\r\nContent-Type: application/json\r\n");
    for (int i = 0; i < more.length; i += 2) {
      headers.append(more[i]).append(": ").append(more[i + 1]).append("\r\n");
    }
    return headers.toString();
  }
}
