package dev.mediaflow.local;

import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.PageRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Document conversion: LibreOffice ({@code soffice --headless --convert-to}) turns office files
 * into PDF or text; PDFBox renders PDF pages to images, extracts text and picks page ranges. Each
 * concurrent LibreOffice run gets its own user profile (LibreOffice refuses to share one), and
 * profiles are reused.
 */
final class LocalDocuments {
  static final float DPI = 150;
  static final String INSTALL_HINT =
      "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
          + "add libreoffice-calc-nogui and libreoffice-impress-nogui for sheets and slides) or set media.local.soffice";

  private final Optional<Path> soffice;
  private final Path profiles;
  private final ConcurrentLinkedQueue<Path> freeProfiles = new ConcurrentLinkedQueue<>();
  private final AtomicInteger profileCount = new AtomicInteger();

  LocalDocuments(Optional<Path> soffice, Path profiles) {
    this.soffice = soffice;
    this.profiles = profiles;
  }

  /**
   * Whether converting a {@code sourceExtension} file needs LibreOffice (everything but PDF does).
   */
  static boolean needsOffice(String sourceExtension) {
    return !sourceExtension.equals("pdf");
  }

  boolean hasOffice() {
    return soffice.isPresent();
  }

  /**
   * Converts {@code source} and returns the result files in page order (one file for pdf and txt
   * targets).
   *
   * @param sourceExtension the source's type: its key's extension, or the operation's {@code from}
   */
  List<Path> convert(
      DocumentConversion op,
      Path source,
      String sourceExtension,
      Path workDir,
      ToolRun.Cancellation cancellation)
      throws IOException, ToolRun.ToolFailure, ToolRun.Cancelled {
    Files.createDirectories(workDir);
    DocumentTarget target = op.to();
    if (target == DocumentTarget.TXT && needsOffice(sourceExtension) && op.pages().isEmpty()) {
      return List.of(
          office(source, sourceExtension, "txt:Text (encoded):UTF8", "txt", workDir, cancellation));
    }
    Path pdf =
        needsOffice(sourceExtension)
            ? office(source, sourceExtension, "pdf", "pdf", workDir, cancellation)
            : source;
    if (cancellation.isCancelled()) {
      throw new ToolRun.Cancelled();
    }
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      List<Integer> pages = pages(op.pages(), doc.getNumberOfPages());
      if (pages.isEmpty()) {
        throw new ToolRun.ToolFailure(
            "the page range "
                + op.pages().map(Object::toString).orElse("")
                + " selects no page of a "
                + doc.getNumberOfPages()
                + "-page document",
            "");
      }
      switch (target) {
        case PDF -> {
          Path out = workDir.resolve("result.pdf");
          if (pages.size() == doc.getNumberOfPages()) {
            if (pdf.equals(source)) {
              Files.copy(source, out);
            } else {
              Files.move(pdf, out);
            }
          } else {
            try (PDDocument part = new PDDocument()) {
              for (int p : pages) {
                part.importPage(doc.getPage(p - 1));
              }
              part.save(out.toFile());
            }
          }
          return List.of(out);
        }
        case TXT -> {
          PDFTextStripper stripper = new PDFTextStripper();
          StringBuilder text = new StringBuilder();
          for (int p : pages) {
            stripper.setStartPage(p);
            stripper.setEndPage(p);
            text.append(stripper.getText(doc));
          }
          Path out = workDir.resolve("result.txt");
          Files.writeString(out, text, StandardCharsets.UTF_8);
          return List.of(out);
        }
        default -> {
          PDFRenderer renderer = new PDFRenderer(doc);
          String format = target == DocumentTarget.JPG ? "jpg" : "png";
          List<Path> out = new ArrayList<>();
          for (int p : pages) {
            if (cancellation.isCancelled()) {
              throw new ToolRun.Cancelled();
            }
            BufferedImage image = renderer.renderImageWithDPI(p - 1, DPI, ImageType.RGB);
            Path file = workDir.resolve("page-" + p + "." + format);
            if (!ImageIO.write(image, format, file.toFile())) {
              throw new IOException("no image writer for " + format);
            }
            out.add(file);
          }
          return out;
        }
      }
    }
  }

  private static List<Integer> pages(Optional<PageRange> range, int count) {
    List<Integer> pages = new ArrayList<>();
    for (int p = 1; p <= count; p++) {
      if (range.isEmpty() || range.get().contains(p)) {
        pages.add(p);
      }
    }
    return pages;
  }

  private Path office(
      Path source,
      String sourceExtension,
      String filter,
      String resultExtension,
      Path workDir,
      ToolRun.Cancellation cancellation)
      throws IOException, ToolRun.ToolFailure, ToolRun.Cancelled {
    Path office =
        soffice.orElseThrow(
            () -> new ToolRun.ToolFailure("LibreOffice is not installed: " + INSTALL_HINT, ""));
    // LibreOffice picks the import filter by extension and names its output after the input: give
    // it both.
    Path in = workDir.resolve("source." + sourceExtension);
    Files.createSymbolicLink(in, source.toAbsolutePath());
    Path outDir = workDir.resolve("office");
    Path profile = takeProfile();
    try {
      ToolRun.run(
          List.of(
              office.toString(),
              "-env:UserInstallation=" + profile.toUri(),
              "--headless",
              "--norestore",
              "--nologo",
              "--convert-to",
              filter,
              "--outdir",
              outDir.toString(),
              in.toString()),
          Map.of(),
          workDir,
          cancellation,
          null);
    } finally {
      freeProfiles.add(profile);
    }
    Path out = outDir.resolve("source." + resultExtension);
    if (!Files.isRegularFile(out)) {
      throw new ToolRun.ToolFailure(
          "LibreOffice could not convert the "
              + sourceExtension
              + " document to "
              + resultExtension
              + " (it produced no file; is the source a valid "
              + sourceExtension
              + " document?)",
          "");
    }
    return out;
  }

  private Path takeProfile() throws IOException {
    Path p = freeProfiles.poll();
    if (p == null) {
      p = profiles.resolve("profile-" + profileCount.incrementAndGet());
      Files.createDirectories(p);
    }
    return p;
  }
}
