package dev.mediaflow.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request and its answer, as {@link FakeServer} sees them whatever listens: the JDK's
 * {@code HttpServer} or {@link LoopbackHttp} (which writes header names exactly as given).
 */
interface Exchange extends AutoCloseable {
  String method();

  URI uri();

  Map<String, List<String>> requestHeaders();

  InputStream requestBody();

  int localPort();

  /**
   * Sends the status line and {@code headers}; {@code length} is the body's length, or -1 for none
   * (HEAD answers, empty bodies). A {@code Content-Length} among {@code headers} is kept only for a
   * HEAD answer.
   */
  void send(int status, Map<String, String> headers, long length) throws IOException;

  /** The body's stream, after {@link #send}. */
  OutputStream responseBody();

  /** Ends the exchange; one not answered drops its connection. */
  @Override
  void close();

  /** The JDK server's exchange (header names normalised by the JDK: {@code X-oss-request-id}). */
  static Exchange of(com.sun.net.httpserver.HttpExchange ex) {
    return new Exchange() {
      @Override
      public String method() {
        return ex.getRequestMethod();
      }

      @Override
      public URI uri() {
        return ex.getRequestURI();
      }

      @Override
      public Map<String, List<String>> requestHeaders() {
        return ex.getRequestHeaders();
      }

      @Override
      public InputStream requestBody() {
        return ex.getRequestBody();
      }

      @Override
      public int localPort() {
        return ex.getLocalAddress().getPort();
      }

      @Override
      public void send(int status, Map<String, String> headers, long length) throws IOException {
        headers.forEach(ex.getResponseHeaders()::set);
        ex.sendResponseHeaders(status, length < 0 ? -1 : length);
      }

      @Override
      public OutputStream responseBody() {
        return ex.getResponseBody();
      }

      @Override
      public void close() {
        ex.close();
      }
    };
  }
}
