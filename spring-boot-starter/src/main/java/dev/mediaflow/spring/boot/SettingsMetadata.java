package dev.mediaflow.spring.boot;

import com.google.gson.GsonBuilder;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Spring Boot's configuration metadata for every declared setting ({@code
 * META-INF/additional-spring-configuration-metadata.json}, which the configuration processor merges
 * into the jar's {@code spring-configuration-metadata.json}), so IDEs complete and document {@code
 * mediaflow.*}: Mediaflow's own namespaces as {@code mediaflow.<namespace>.<setting>}, and each
 * provider's settings under the instance named after it ({@code mediaflow.instances.oss.region});
 * an instance of another name takes the same keys. Secret settings are listed, without a default.
 */
final class SettingsMetadata {
  private SettingsMetadata() {}

  /** Returns the metadata JSON for {@code providers}, in a stable order. */
  static String json(Map<String, MediaProvider> providers) {
    List<Map<String, Object>> properties = new ArrayList<>();
    List<Map<String, Object>> hints = new ArrayList<>();
    MediaConfig.settings()
        .forEach(
            (ns, list) -> {
              addAll("mediaflow." + ns + ".", list, properties, hints);
            });
    List<Map<String, Object>> ids = new ArrayList<>();
    providers.forEach(
        (id, p) -> {
          ids.add(Map.of("value", id));
          addAll("mediaflow.instances." + id + ".", p.settings(), properties, hints);
        });
    Map<String, Object> providerHint = new LinkedHashMap<>();
    providerHint.put("name", "mediaflow.provider");
    providerHint.put("values", ids);
    hints.add(0, providerHint);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("properties", properties);
    root.put("hints", hints);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
  }

  /**
   * Adds {@code settings}. A map setting that shares its name with a plain one ({@code domain} and
   * {@code domain.<bucket>}) is described in the plain one's entry: a property has one type.
   */
  private static void addAll(
      String prefix,
      List<Setting> settings,
      List<Map<String, Object>> properties,
      List<Map<String, Object>> hints) {
    Map<String, Map<String, Object>> plain = new LinkedHashMap<>();
    for (Setting s : settings) {
      if (s.isMap() && plain.containsKey(s.name())) {
        Map<String, Object> p = plain.get(s.name());
        p.put(
            "description",
            p.get("description")
                + " Per "
                + s.key().substring(s.name().length() + 1)
                + " ("
                + s.key()
                + "): "
                + description(s));
      } else {
        Map<String, Object> p = add(prefix, s, properties, hints);
        if (!s.isMap()) {
          plain.put(s.name(), p);
        }
      }
    }
  }

  private static Map<String, Object> add(
      String prefix,
      Setting s,
      List<Map<String, Object>> properties,
      List<Map<String, Object>> hints) {
    String name = prefix + kebab(s.name());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("type", s.isMap() ? "java.util.Map<java.lang.String,java.lang.String>" : type(s));
    p.put("description", description(s));
    if (!s.isSecret() && !s.isMap() && s.defaultValue().isPresent() && literal(s)) {
      p.put("defaultValue", value(s, s.defaultValue().get()));
    }
    properties.add(p);
    if (s.type() == Setting.Type.ENUM) {
      List<Map<String, Object>> values = new ArrayList<>();
      s.values().forEach(v -> values.add(Map.of("value", v)));
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("name", name);
      h.put("values", values);
      hints.add(h);
    }
    return p;
  }

  /** Returns the Java type Spring Boot's tools read the value as. */
  private static String type(Setting s) {
    switch (s.type()) {
      case BOOLEAN:
        return "java.lang.Boolean";
      case INTEGER:
        return "java.lang.Integer";
      case DURATION:
        return "java.time.Duration";
      case LIST:
        return "java.util.List<java.lang.String>";
      case STRING:
      case HOST:
      case PATH:
      case ENUM:
      default:
        return "java.lang.String";
    }
  }

  /** True when the declared default is a value as written, not a phrase for a computed one. */
  private static boolean literal(Setting s) {
    String d = s.defaultValue().get();
    switch (s.type()) {
      case BOOLEAN:
        return d.equals("true") || d.equals("false");
      case INTEGER:
        return d.matches("-?[0-9]+");
      case DURATION:
        return d.matches("[0-9]+(ms|s|m|h|d)");
      case ENUM:
        return s.values().contains(d);
      default:
        return !d.contains(" ") && !d.contains("<");
    }
  }

  private static Object value(Setting s, String d) {
    switch (s.type()) {
      case BOOLEAN:
        return Boolean.valueOf(d);
      case INTEGER:
        return Integer.valueOf(d);
      default:
        return d;
    }
  }

  private static String description(Setting s) {
    StringBuilder b = new StringBuilder();
    String d = s.description();
    b.append(d.isEmpty() ? s.name() : Character.toUpperCase(d.charAt(0)) + d.substring(1));
    b.append('.');
    if (s.isMap()) {
      b.append(" Keys: ").append(s.key().substring(s.name().length() + 1)).append('.');
    }
    if (s.isRequired()) {
      b.append(" Required.");
    }
    if (s.isSecret()) {
      b.append(" Secret: its value is never shown.");
    } else if (s.defaultValue().isPresent() && !literal(s)) {
      b.append(" Default: ").append(s.defaultValue().get()).append('.');
    }
    if (!s.environment().isEmpty()) {
      b.append(" Also read from ").append(String.join(", ", s.environment())).append('.');
    }
    return b.toString();
  }

  /** Returns {@code accessKeyId} as {@code access-key-id}. */
  static String kebab(String camel) {
    StringBuilder b = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
