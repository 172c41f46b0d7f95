package dev.mediaflow.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

class BrowserSmokeTest {
  @Test
  void chromium_loadsAPageAndAnImage() throws Exception {
    BufferedImage img = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] body =
              ex.getRequestURI().getPath().equals("/a.png")
                  ? png.toByteArray()
                  : "<html><body><img id=i src=/a.png></body></html>"
                      .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders()
              .set(
                  "Content-Type",
                  ex.getRequestURI().getPath().equals("/a.png") ? "image/png" : "text/html");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    ChromeDriver driver = Browser.start();
    try {
      driver.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      Object width =
          driver.executeAsyncScript(
              "const done = arguments[0]; const i = document.getElementById('i');"
                  + "if (i.complete) done(i.naturalWidth); else i.onload = () => done(i.naturalWidth);");
      assertThat(((Number) width).intValue()).isEqualTo(120);
    } finally {
      driver.quit();
      server.stop(0);
    }
  }
}
