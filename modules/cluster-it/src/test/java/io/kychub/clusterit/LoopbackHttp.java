package io.kychub.clusterit;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on loopback with one fresh connection per request ({@code Connection: close}), as a
 * provider's webhook sender does: a refused connection then tells plainly that the node is down,
 * and new connections spread over every listener instance of a node (each has its own caches).
 */
final class LoopbackHttp {

  /** An answer; {@code status} is {@link #REFUSED} when nothing listened, {@link #BROKEN} when the exchange failed midway. */
  record Response(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static final int REFUSED = -1;
  static final int BROKEN = -2;

  private LoopbackHttp() {}

  static Response get(int port, String path, Map<String, String> headers) {
    return exchange(port, "GET", path, headers, null, 10_000);
  }

  static Response post(int port, String path, Map<String, String> headers, byte[] body) {
    return exchange(port, "POST", path, headers, body, 15_000);
  }

  static Response send(int port, String method, String path, Map<String, String> headers, String jsonBody) {
    return exchange(port, method, path, headers, jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8), 15_000);
  }

  static Response exchange(int port, String method, String path, Map<String, String> headers, byte[] body, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      } catch (ConnectException e) {
        return new Response(REFUSED, e.getMessage());
      }
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(requestHead(method, path, headers, body == null ? -1 : body.length, port).getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return readResponse(socket.getInputStream());
    } catch (IOException e) {
      return new Response(BROKEN, e.toString());
    }
  }

  static String requestHead(String method, String path, Map<String, String> headers, int contentLength, int port) {
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (contentLength >= 0) {
      head.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  private static Response readResponse(InputStream in) throws IOException {
    ResponseHead head = ResponseHead.read(in);
    if (head == null) {
      return new Response(BROKEN, "connection closed before a response");
    }
    InputStream body = head.chunked() ? new ChunkedInputStream(in) : in;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long remaining = head.contentLength() < 0 ? Long.MAX_VALUE : head.contentLength();
    int n;
    while (remaining > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, remaining))) > 0) {
      bytes.write(buffer, 0, n);
      remaining -= n;
    }
    return new Response(head.status(), bytes.toString(StandardCharsets.UTF_8));
  }

  /** The status line and the headers that say how the body is framed. */
  record ResponseHead(int status, boolean chunked, long contentLength) {
    /** Reads up to the blank line; null when the peer closed before sending anything. */
    static ResponseHead read(InputStream in) throws IOException {
      String statusLine = line(in);
      if (statusLine == null) {
        return null;
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP response: " + statusLine);
      }
      boolean chunked = false;
      long length = -1;
      String header;
      while ((header = line(in)) != null && !header.isEmpty()) {
        int colon = header.indexOf(':');
        if (colon > 0) {
          String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = header.substring(colon + 1).trim();
          if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
            chunked = true;
          } else if (name.equals("content-length")) {
            length = Long.parseLong(value);
          }
        }
      }
      return new ResponseHead(Integer.parseInt(parts[1]), chunked, length);
    }
  }

  /** One CRLF-terminated line (ISO-8859-1, as HTTP heads are), or null at the end of the stream. */
  static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
      }
      line.append((char) c);
    }
    return line.length() == 0 ? null : line.toString();
  }

  /** Decodes {@code Transfer-Encoding: chunked} as the bytes arrive. */
  static final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = line(in);
        if (size == null) {
          throw new IOException("stream ended inside a chunked body");
        }
        if (size.isEmpty()) {
          size = line(in);
          if (size == null) {
            throw new IOException("stream ended inside a chunked body");
          }
        }
        int semicolon = size.indexOf(';');
        left = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
        if (left == 0) {
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("stream ended inside a chunk");
      }
      left -= n;
      return n;
    }
  }
}
