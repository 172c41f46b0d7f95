package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsCommandTest {
  private static final String BEGIN = "<!-- settings:begin";
  private static final String END = "<!-- settings:end -->";

  @Test
  void readme_settingsTable_isTheOneTheDeclarationsMake() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf('\n', readme.indexOf(BEGIN)) + 1;
    int end = readme.indexOf(END);
    assertThat(readme.indexOf(BEGIN)).as("README.md has the generated settings table").isPositive();
    String expected =
        SettingsCommand.markdown(
            SettingsCommand.rows(List.of("local", "oss", "qiniu", "cos"), true));
    Path fresh = Path.of("target", "settings.md");
    Files.createDirectories(fresh.getParent());
    Files.writeString(fresh, expected);
    assertThat(readme.substring(begin, end))
        .as(
            "README.md's settings table is out of date: replace it with "
                + fresh.toAbsolutePath()
                + " (or the output of ./mediaflow settings --markdown)")
        .isEqualTo(expected);
  }

  @Test
  void settings_listsEveryProvidersSettings_withTypesAndDefaults() {
    StringWriter out = new StringWriter();
    int code =
        Main.run(
            new String[] {"settings"},
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            Map.of());
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("media.provider", "media.http.retries", "media.upload.checkpointDir")
        .containsPattern("media\\.oss\\.region \\(required\\) +text")
        .containsPattern("media\\.oss\\.signatureVersion +one of v4, v1 +v4")
        .containsPattern("media\\.qiniu\\.domain\\.<bucket>")
        .containsPattern("media\\.local\\.keepJobs +duration +1h");
  }

  @Test
  void settings_ofOneProvider_listsOnlyIt() {
    StringWriter out = new StringWriter();
    int code =
        Main.run(
            new String[] {"settings", "--provider", "qiniu"},
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            Map.of());
    assertThat(code).isZero();
    assertThat(out.toString().lines()).allMatch(l -> l.startsWith("media.qiniu."));
    assertThat(out.toString()).contains("media.qiniu.secretKey (required)", "secret text");
  }
}
