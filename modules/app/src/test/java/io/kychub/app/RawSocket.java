package io.kychub.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain TCP client for attack tests: sends exactly the bytes given, reads what the hub answers and whether it closed. */
final class RawSocket implements AutoCloseable {

  /** What came back: the status of the first answer (0 if none), and whether the hub closed the connection. */
  record Outcome(int status, boolean closedByHub, String text) {}

  final Socket socket;

  RawSocket(int port) throws IOException {
    this(null, port);
  }

  /** @param localAddressOrNull a loopback source address such as 127.0.0.2, so tests can play several senders */
  RawSocket(String localAddressOrNull, int port) throws IOException {
    socket = new Socket();
    if (localAddressOrNull != null) {
      socket.bind(new InetSocketAddress(localAddressOrNull, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
  }

  RawSocket send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads until the hub closes the connection or {@code millis} pass without a byte. */
  Outcome read(int millis) throws IOException {
    socket.setSoTimeout(millis);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    boolean closed = false;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        got.write(buffer, 0, n);
      }
      closed = true;
    } catch (SocketTimeoutException e) {
      closed = false;
    } catch (IOException e) {
      // reset by the hub
      closed = true;
    }
    String text = got.toString(StandardCharsets.ISO_8859_1);
    int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
    return new Outcome(status, closed, text);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static String webhookHead(String tenant, String provider, long contentLength, String extraHeaders) {
    return "POST /webhooks/" + tenant + "/" + provider + " HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
        + extraHeaders + "Content-Length: " + contentLength + "\r\n\r\n";
  }
}
