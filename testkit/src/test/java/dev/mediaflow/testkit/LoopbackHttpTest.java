package dev.mediaflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The small HTTP/1.1 server: header names as written, chunked bodies, 100-continue, keep-alive. */
class LoopbackHttpTest {
  @Test
  void chunkedAndContinuedRequests_onOneConnection_answeredWithExactHeaderNames() throws Exception {
    List<String> bodies = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool();
    LoopbackHttp server =
        new LoopbackHttp(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            pool,
            ex -> {
              try {
                bodies.add(
                    ex.method()
                        + " "
                        + ex.uri().getRawPath()
                        + " "
                        + new String(ex.requestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
                ex.send(200, Map.of("x-cos-request-id", "abc"), answer.length);
                try (OutputStream out = ex.responseBody()) {
                  out.write(answer);
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    server.start();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = s.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      out.write(
          ("PUT /a|b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      List<String> first = head(in);
      assertThat(first.get(0)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(first).contains("x-cos-request-id: abc", "Content-Length: 2");
      assertThat(read(in, 2)).isEqualTo("ok");

      out.write(
          "POST /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(in.readLine()).isEmpty();
      out.write("xyz".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(head(in).get(0)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(read(in, 2)).isEqualTo("ok");
    } finally {
      server.stop();
      pool.shutdownNow();
    }
    assertThat(bodies).containsExactly("PUT /a%7Cb hello world", "POST /c xyz");
  }

  private static List<String> head(BufferedReader in) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
      lines.add(l);
    }
    return lines;
  }

  private static String read(BufferedReader in, int n) throws Exception {
    char[] c = new char[n];
    int got = 0;
    while (got < n) {
      got += in.read(c, got, n - got);
    }
    return new String(c);
  }
}
