package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.PageRange;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.ProviderConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PDF work runs everywhere (PDFBox); office documents need LibreOffice, which .ci/run installs. */
class LocalDocumentsTest {
  @TempDir Path root;
  MediaClient client;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("docs"));
    try (PDDocument doc = new PDDocument()) {
      for (int i = 1; i <= 3; i++) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
          s.beginText();
          s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 24);
          s.newLineAtOffset(72, 700);
          s.showText("Page " + i + " of the report");
          s.endText();
        }
      }
      doc.save(root.resolve("docs/report.pdf").toFile());
    }
    Files.writeString(root.resolve("docs/note.txt"), "Quarterly note\nSecond line\n");
    client = LocalProviderTest.client(root, Map.of());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void pdfToPng_rendersTheSelectedPages() throws Exception {
    JobStatus done =
        client
            .submit(
                Pipeline.from("docs", "report.pdf")
                    .then(
                        DocumentConversion.builder()
                            .to(DocumentTarget.PNG)
                            .pages(PageRange.parse("1-2"))
                            .build())
                    .saveAs("docs", "pages/report-{index}.png")
                    .build())
            .await(LocalProviderTest.WAIT);

    assertThat(done.outputs().get(0).objects())
        .containsExactly(
            MediaObject.of("docs", "pages/report-1.png"),
            MediaObject.of("docs", "pages/report-2.png"));
    BufferedImage page = ImageIO.read(root.resolve("docs/pages/report-1.png").toFile());
    // US Letter (612 x 792 pt) at 150 dpi
    assertThat(page.getWidth()).isEqualTo(1275);
    assertThat(page.getHeight()).isBetween(1649, 1650); // PDFBox rounds 1650.0 down
    assertThat(root.resolve("docs/pages/report-3.png")).doesNotExist();
  }

  @Test
  void pdfToTxtAndToPdfPages_extractTextAndPickPages() throws Exception {
    client
        .submit(
            Pipeline.from("docs", "report.pdf")
                .then(DocumentConversion.to(DocumentTarget.TXT))
                .saveAs("docs", "report.txt")
                .then(
                    DocumentConversion.builder()
                        .to(DocumentTarget.PDF)
                        .pages(PageRange.parse("2"))
                        .build())
                .saveAs("docs", "page2.pdf")
                .build())
        .await(LocalProviderTest.WAIT);

    assertThat(Files.readString(root.resolve("docs/report.txt")))
        .contains("Page 1 of the report", "Page 2 of the report", "Page 3 of the report");
    try (PDDocument part = Loader.loadPDF(root.resolve("docs/page2.pdf").toFile())) {
      assertThat(part.getNumberOfPages()).isEqualTo(1);
      assertThat(new PDFTextStripper().getText(part)).contains("Page 2 of the report");
    }
  }

  @Test
  void officeDocument_toPdf_withLibreOffice() throws Exception {
    assumeThat(Media.TOOLS.soffice())
        .as("LibreOffice is installed (.ci/run installs it)")
        .isPresent();

    client
        .submit(
            Pipeline.from("docs", "note.txt")
                .then(DocumentConversion.to(DocumentTarget.PDF))
                .saveAs("docs", "note.pdf")
                .then(DocumentConversion.to(DocumentTarget.JPG))
                .saveAs("docs", "note.jpg")
                .build())
        .await(LocalProviderTest.WAIT);

    try (PDDocument pdf = Loader.loadPDF(root.resolve("docs/note.pdf").toFile())) {
      assertThat(new PDFTextStripper().getText(pdf)).contains("Quarterly note", "Second line");
    }
    assertThat(ImageIO.read(root.resolve("docs/note-1.jpg").toFile())).isNotNull();
  }

  @Test
  void officeDocument_withoutLibreOffice_isRefusedWithTheInstallCommand() throws Exception {
    LocalSettings settings =
        LocalSettings.from(ProviderConfig.of("local", Map.of("root", root.toString())));
    LocalTools noOffice =
        new LocalTools(
            Media.TOOLS.ffmpeg(),
            Media.TOOLS.ffprobe(),
            Media.TOOLS.environment(),
            Optional.empty());
    try (LocalJobClient local =
        new LocalJobClient(
            settings, new LocalStore(settings.root()), Clock.systemUTC(), noOffice)) {
      assertThatThrownBy(
              () ->
                  local.submit(
                      Pipeline.from("docs", "note.txt")
                          .then(DocumentConversion.to(DocumentTarget.PDF))
                          .saveAs("docs", "note.pdf")
                          .build()))
          .isInstanceOf(UnsupportedMediaOperationException.class)
          .hasMessageContaining("apt-get install libreoffice-writer-nogui")
          .hasMessageContaining("media.local.soffice");
      // a PDF needs no LibreOffice
      var id =
          local.submit(
              Pipeline.from("docs", "report.pdf")
                  .then(DocumentConversion.to(DocumentTarget.TXT))
                  .saveAs("docs", "r.txt")
                  .build());
      JobStatus s;
      do {
        Thread.sleep(20);
        s = local.status(id);
      } while (!s.isTerminal());
      assertThat(s.state()).isEqualTo(dev.mediaflow.job.JobState.SUCCEEDED);
    }
  }
}
