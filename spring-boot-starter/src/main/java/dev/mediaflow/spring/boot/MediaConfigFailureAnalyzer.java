package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.spi.Setting;
import java.util.Optional;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link MediaConfigException} at start-up into Spring Boot's report: what is wrong (the
 * exception's message, which never holds a secret value) and what to set, where, written the way a
 * Spring application sets it ({@code mediaflow.instances.oss.region} in {@code application.yml}, or
 * its environment variable), with the {@code media.*}, {@code MEDIA_*} and vendor variables that
 * work too.
 */
public final class MediaConfigFailureAnalyzer
    extends AbstractFailureAnalyzer<MediaConfigException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MediaConfigException cause) {
    String key = cause.key();
    String description = "Mediaflow's configuration is invalid: " + cause.getMessage();
    return new FailureAnalysis(description, action(key), cause);
  }

  static String action(String key) {
    if (!key.startsWith("media.") && !key.startsWith("mediaflow.")) {
      return "Check mediaflow.provider and each mediaflow.instances.<name>.provider in "
          + "application.yml (or application.properties): each names a provider id found on the "
          + "class path ("
          + String.join(
              ", ",
              DeclaredSettings.providers(MediaConfigFailureAnalyzer.class.getClassLoader())
                  .keySet())
          + "), or add the module of the provider named"
          + (key.isEmpty() ? "" : " ('" + key + "')")
          + ".";
    }
    String spring = SpringMediaConfig.springKey(key);
    String media = key;
    if (key.startsWith("media.")
        && dev.mediaflow.MediaConfig.settings().containsKey(key.substring("media.".length()))) {
      // a whole namespace, such as media.watch: one of its settings
      spring += ".*";
      media += ".*";
    }
    StringBuilder b = new StringBuilder();
    b.append("Set or correct ")
        .append(spring)
        .append(" in application.yml or application.properties, or as the environment variable ")
        .append(SpringMediaConfig.environmentVariable(spring));
    if (key.startsWith("media.")) {
      b.append("; Mediaflow's own system property ")
          .append(media)
          .append(" and environment variable ")
          .append(SpringMediaConfig.mediaVariable(media))
          .append(" are read too, below it");
      Optional<Setting> s =
          DeclaredSettings.find(key, MediaConfigFailureAnalyzer.class.getClassLoader());
      if (s.isPresent() && !s.get().environment().isEmpty()) {
        b.append(", and the vendor's ")
            .append(String.join(", ", s.get().environment()))
            .append(" when nothing else sets it");
      }
      if (s.isPresent() && !s.get().description().isEmpty()) {
        b.append(". It is ").append(s.get().description());
      }
    }
    return b.append(". Every setting is listed in the README's settings table.").toString();
  }
}
