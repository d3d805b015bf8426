package com.learncoin.gateway.support;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.learncoin.gateway.support.Envelope.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** HTTP/1.1 as bytes on a socket, for what java.net.http will not send. */
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
}
