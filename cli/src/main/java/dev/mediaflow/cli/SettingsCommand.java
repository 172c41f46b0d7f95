package dev.mediaflow.cli;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.internal.ProviderRegistry;
import dev.mediaflow.spi.Setting;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lists every setting, from the declarations of Mediaflow and of the providers on the class path.
 */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description =
        "List every setting: Mediaflow's own and each provider's (name, type, default, meaning).")
final class SettingsCommand implements Callable<Integer> {
  /** Providers listed first, in this order; any others follow by id. */
  private static final List<String> ORDER = List.of("local", "oss", "qiniu", "cos");

  private static final String REQUIRED = " (required)";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--provider", paramLabel = "ID", description = "Only this provider's settings.")
  String provider;

  @Option(names = "--markdown", description = "Print a Markdown table (the README's).")
  boolean markdown;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Row> rows = provider == null ? rows(providerIds(), true) : rows(List.of(provider), false);
    if (markdown) {
      out.print(markdown(rows));
    } else {
      int width = rows.stream().mapToInt(r -> r.key.length()).max().orElse(10);
      for (Row r : rows) {
        out.printf(
            "%-" + width + "s  %-12s  %-24s  %s%n", r.key, r.type, r.defaultValue, r.meaning);
      }
    }
    out.flush();
    return Main.OK;
  }

  /** One line of the listing. */
  record Row(String key, String type, String defaultValue, String meaning) {}

  /**
   * Returns the ids of the providers on the class path: local, oss and qiniu first, then the others
   * by id.
   */
  static List<String> providerIds() {
    List<String> ids = new ArrayList<>(ORDER);
    Set<String> found = ProviderRegistry.fromClassPath().ids();
    ids.retainAll(found);
    found.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    return ids;
  }

  /**
   * Returns the rows: Mediaflow's own settings (when {@code withCore}), then each named provider's.
   */
  static List<Row> rows(List<String> providerIds, boolean withCore) {
    List<Row> rows = new ArrayList<>();
    if (withCore) {
      rows.add(
          new Row(
              MediaConfig.PROVIDER,
              "text",
              MediaConfig.DEFAULT_PROVIDER,
              "the default provider instance: local, oss, qiniu, cos or a name of yours"));
      rows.add(
          new Row(
              "media.<name>.provider",
              "text",
              "the name itself",
              "the provider id of a named instance"));
      rows.add(
          new Row(
              MediaConfig.CONFIG_FILE,
              "path",
              "",
              "a properties file to read settings from (also MEDIA_CONFIG)"));
      MediaConfig.settings()
          .forEach((namespace, settings) -> settings.forEach(s -> rows.add(row(namespace, s))));
    }
    ProviderRegistry registry = ProviderRegistry.fromClassPath();
    for (String id : providerIds) {
      registry.get(id).settings().forEach(s -> rows.add(row(id, s)));
    }
    return rows;
  }

  private static Row row(String namespace, Setting s) {
    String meaning = s.description();
    if (!s.environment().isEmpty()) {
      meaning += " (also " + String.join(", ", s.environment()) + ")";
    }
    String key = "media." + namespace + "." + s.key() + (s.isRequired() ? REQUIRED : "");
    return new Row(key, type(s), s.defaultValue().orElse(""), meaning);
  }

  private static String type(Setting s) {
    String t =
        switch (s.type()) {
          case STRING -> "text";
          case BOOLEAN -> "true/false";
          case INTEGER -> "number";
          case DURATION -> "duration";
          case HOST -> "host";
          case PATH -> "path";
          case ENUM -> "one of " + String.join(", ", s.values());
          case LIST -> "list";
        };
    return s.isSecret() ? "secret " + t : t;
  }

  /** Renders the rows as the README's Markdown table. */
  static String markdown(List<Row> rows) {
    StringBuilder s = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
    for (Row r : rows) {
      boolean required = r.key.endsWith(REQUIRED);
      String key = required ? r.key.substring(0, r.key.length() - REQUIRED.length()) : r.key;
      s.append("| `")
          .append(key)
          .append('`')
          .append(required ? REQUIRED : "")
          .append(" | ")
          .append(r.type)
          .append(" | ")
          .append(r.defaultValue.isEmpty() ? "" : code(r.defaultValue))
          .append(" | ")
          .append(placeholders(r.meaning.replace("|", "\\|")))
          .append(" |\n");
    }
    return s.toString();
  }

  /**
   * Puts a default in code font when it is a value to write; in a phrase, only its words with
   * placeholders.
   */
  private static String code(String value) {
    return value.contains(" ") || value.contains(",") ? placeholders(value) : "`" + value + "`";
  }

  /**
   * Puts words such as {@code up-<region>.qiniup.com} in code font, so Markdown does not read them
   * as HTML.
   */
  private static String placeholders(String text) {
    return PLACEHOLDER.matcher(text).replaceAll("`$1`");
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("([^\\s,;()]*<[a-z]+>[^\\s,;()]*)");
}
