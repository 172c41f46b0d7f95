package dev.mediaflow.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * A small HTTP/1.1 server for the fakes whose clients read response header names with their case
 * (the COS Java SDK looks up {@code x-cos-hash-crc64ecma} in a case-sensitive map, and the JDK's
 * {@code HttpServer} would send {@code X-cos-hash-crc64ecma}): header names go out exactly as the
 * {@link Reply} spells them. Keep-alive, {@code Content-Length} and chunked request bodies, {@code
 * Expect: 100-continue}; no TLS, no pipelining beyond one request at a time per connection.
 * Thread-safe.
 */
final class LoopbackHttp {
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket socket;
  private final ExecutorService pool;
  private final Consumer<Exchange> handler;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;

  LoopbackHttp(InetSocketAddress address, ExecutorService pool, Consumer<Exchange> handler) {
    this.pool = pool;
    this.handler = handler;
    try {
      this.socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(address, 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  int port() {
    return socket.getLocalPort();
  }

  void start() {
    Thread t = JobEngine.daemon(this::accept, "loopback-http-accept-" + port());
    t.start();
  }

  void stop() {
    running = false;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private void accept() {
    while (running) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(s);
      try {
        pool.execute(() -> serve(s));
      } catch (RuntimeException e) {
        open.remove(s);
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      while (running) {
        Raw ex = read(s, in, out);
        if (ex == null) {
          return;
        }
        try {
          handler.accept(ex);
        } catch (RuntimeException e) {
          if (!ex.sent) {
            return; // drops the connection, as the JDK server does
          }
        }
        if (!ex.sent || ex.unfinished() || !ex.keepAlive) {
          return;
        }
        out.flush();
        ex.body.skipRest();
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      open.remove(s);
    }
  }

  /** Reads one request head; null at the end of the stream. */
  private Raw read(Socket s, InputStream in, OutputStream out) throws IOException {
    String requestLine = line(in, true);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = line(in, true);
    }
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      writeStatus(out, 400);
      return null;
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int total = requestLine.length();
    for (String h = line(in, false); h != null && !h.isEmpty(); h = line(in, false)) {
      total += h.length();
      if (total > MAX_HEAD) {
        writeStatus(out, 431);
        return null;
      }
      int colon = h.indexOf(':');
      if (colon <= 0) {
        writeStatus(out, 400);
        return null;
      }
      headers
          .computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>())
          .add(h.substring(colon + 1).trim());
    }
    URI uri;
    try {
      uri = uri(parts[1]);
    } catch (URISyntaxException e) {
      writeStatus(out, 400);
      return null;
    }
    String connection = first(headers, "Connection");
    boolean keepAlive =
        parts[2].equals("HTTP/1.1")
            ? connection == null || !connection.equalsIgnoreCase("close")
            : connection != null && connection.equalsIgnoreCase("keep-alive");
    Body body;
    String te = first(headers, "Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = new Body(in, -1);
    } else {
      String cl = first(headers, "Content-Length");
      long n;
      try {
        n = cl == null ? 0 : Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        writeStatus(out, 400);
        return null;
      }
      body = new Body(in, n);
    }
    String expect = first(headers, "Expect");
    if (expect != null && expect.equalsIgnoreCase("100-continue")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    return new Raw(parts[0], uri, headers, body, s.getLocalPort(), out, keepAlive);
  }

  /** Parses a request target; characters a URI may not hold raw (such as {@code |}) are escaped. */
  static URI uri(String target) throws URISyntaxException {
    try {
      return new URI(target);
    } catch (URISyntaxException e) {
      StringBuilder b = new StringBuilder();
      for (byte c : target.getBytes(StandardCharsets.UTF_8)) {
        int u = c & 0xff;
        if (u > 0x20 && u < 0x7f && "\"<>\\^`{|}".indexOf(u) < 0) {
          b.append((char) u);
        } else {
          b.append('%').append(String.format("%02X", u));
        }
      }
      return new URI(b.toString());
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static String line(InputStream in, boolean eofOk) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; ; ) {
      c = in.read();
      if (c < 0) {
        if (b.size() == 0 && eofOk) {
          return null;
        }
        throw new EOFException("the connection ended inside a request head");
      }
      if (c == '\n') {
        break;
      }
      if (b.size() > MAX_HEAD) {
        throw new IOException("request head line too long");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static void writeStatus(OutputStream out, int status) throws IOException {
    out.write(
        ("HTTP/1.1 "
                + status
                + " "
                + reason(status)
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 411 -> "Length Required";
      case 412 -> "Precondition Failed";
      case 413 -> "Payload Too Large";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** A request body: {@code length} bytes, or chunked when -1. */
  private static final class Body extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    private long left;
    private boolean done;

    Body(InputStream in, long length) {
      this.in = in;
      this.chunked = length < 0;
      this.left = Math.max(0, length);
      this.done = length == 0;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (chunked && left == 0) {
        String size = line(in, false);
        int semi = size.indexOf(';');
        left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (left == 0) {
          for (String t = line(in, false); !t.isEmpty(); t = line(in, false)) {
            // trailers are ignored
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the connection ended inside a request body");
      }
      left -= n;
      if (left == 0) {
        if (chunked) {
          line(in, false); // the CRLF after a chunk
        } else {
          done = true;
        }
      }
      return n;
    }

    void skipRest() throws IOException {
      byte[] buf = new byte[8192];
      while (read(buf, 0, buf.length) >= 0) {
        // drain
      }
    }

    @Override
    public void close() {
      // the connection stays open; the rest is drained before the next request
    }
  }

  /** One exchange on a kept-alive connection. */
  private static final class Raw implements Exchange {
    private static final DateTimeFormatter HTTP_DATE =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);

    private final String method;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final Body body;
    private final int localPort;
    private final OutputStream out;
    private final boolean keepAlive;
    private boolean sent;
    private long promised;
    private long written;

    Raw(
        String method,
        URI uri,
        Map<String, List<String>> headers,
        Body body,
        int localPort,
        OutputStream out,
        boolean keepAlive) {
      this.method = method;
      this.uri = uri;
      this.headers = headers;
      this.body = body;
      this.localPort = localPort;
      this.out = out;
      this.keepAlive = keepAlive;
    }

    boolean unfinished() {
      return written != promised;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public URI uri() {
      return uri;
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
      return headers;
    }

    @Override
    public InputStream requestBody() {
      return body;
    }

    @Override
    public int localPort() {
      return localPort;
    }

    @Override
    public void send(int status, Map<String, String> replyHeaders, long length) throws IOException {
      Map<String, String> h = new LinkedHashMap<>();
      boolean head = method.equals("HEAD");
      boolean hasDate = false;
      for (Map.Entry<String, String> e : replyHeaders.entrySet()) {
        String name = e.getKey();
        if (name.equalsIgnoreCase("Content-Length") && !head) {
          continue;
        }
        if (name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Connection")) {
          continue;
        }
        hasDate |= name.equalsIgnoreCase("Date");
        h.put(name, e.getValue());
      }
      if (!hasDate) {
        h.put("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
      }
      boolean noBody = head || status == 204 || status == 304 || status < 200;
      if (!head && status != 204 && status != 304) {
        h.put("Content-Length", String.valueOf(Math.max(0, length)));
      }
      h.put("Connection", keepAlive ? "keep-alive" : "close");
      StringBuilder b = new StringBuilder("HTTP/1.1 ");
      b.append(status).append(' ').append(reason(status)).append("\r\n");
      h.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
      b.append("\r\n");
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      sent = true;
      promised = noBody ? 0 : Math.max(0, length);
      if (promised == 0) {
        out.flush();
      }
    }

    @Override
    public OutputStream responseBody() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (written + len > promised) {
            throw new IOException("more bytes than the Content-Length sent");
          }
          out.write(b, off, len);
          written += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.flush();
        }
      };
    }

    @Override
    public void close() {
      try {
        out.flush();
      } catch (IOException ignored) {
        // the client went away
      }
    }
  }

  @Override
  public String toString() {
    return "LoopbackHttp{" + port() + "}";
  }
}
