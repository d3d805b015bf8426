package com.learncoin.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a socket of its own per request ({@code Connection: close}), so a test sees exactly
 * what a client sees when the server goes away: refused, closed before any byte, cut mid-answer, or
 * a complete answer. (A pooled client would retry or hide which of these happened.)
 */
public final class RawRequest {
  /** What came back, and how completely. */
  public enum Fate { REFUSED, CLOSED_BEFORE_ANSWER, CUT_MID_ANSWER, COMPLETE }

  /** The answer; status, request id and body only when {@code fate} is COMPLETE. */
  public record Answer(Fate fate, int status, String requestId, String body) {
    @Override
    public String toString() {
      return fate + (fate == Fate.COMPLETE ? " " + status + " " + requestId : "");
    }
  }

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");
  private static final Pattern REQUEST_ID = Pattern.compile("(?im)^x-request-id:\\s*(\\S+)");

  private final Socket socket;

  private RawRequest(Socket socket) {
    this.socket = socket;
  }

  /** Sends the request line, headers and the first {@code sentNow} bytes of the body. */
  public static RawRequest open(int port, String method, String path, String headers, byte[] body,
      int sentNow) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + headers + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(body, 0, sentNow);
    out.flush();
    return new RawRequest(socket);
  }

  /** A whole request, sent at once. */
  public static Answer send(int port, String method, String path, String headers, byte[] body) {
    RawRequest request;
    try {
      request = open(port, method, path, headers, body, body.length);
    } catch (ConnectException e) {
      return new Answer(Fate.REFUSED, 0, null, null);
    } catch (IOException e) {
      return new Answer(Fate.CLOSED_BEFORE_ANSWER, 0, null, null);
    }
    return request.finish(body, body.length);
  }

  /** Sends the rest of the body (from {@code sent}) and reads the answer to the end. */
  public Answer finish(byte[] body, int sent) {
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

  private static Answer judge(byte[] bytes) {
    if (bytes.length == 0) {
      return new Answer(Fate.CLOSED_BEFORE_ANSWER, 0, null, null);
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    Matcher length = CONTENT_LENGTH.matcher(end < 0 ? "" : text.substring(0, end));
    if (end < 0 || !length.find()
        || bytes.length - end - 4 < Integer.parseInt(length.group(1))) {
      return new Answer(Fate.CUT_MID_ANSWER, 0, null, text);
    }
    Matcher id = REQUEST_ID.matcher(text.substring(0, end));
    String body = new String(bytes, end + 4, Integer.parseInt(length.group(1)),
        StandardCharsets.UTF_8);
    return new Answer(Fate.COMPLETE, Integer.parseInt(text.substring(9, 12)),
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
