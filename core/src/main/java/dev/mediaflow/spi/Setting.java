package dev.mediaflow.spi;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One setting that a provider (or Mediaflow itself) reads, declared once: its name, type, whether
 * it is required or secret, its default and a one-line description. Declarations drive validation
 * (unknown keys, types, required values), which values {@code toString()} may show, the README's
 * settings tables, the CLI's {@code settings} command and IDE metadata.
 *
 * <p>A name is one camelCase word ({@code accessKeyId}); in configuration it may also be written in
 * kebab-case ({@code access-key-id}). A <em>map</em> setting takes any number of keys below its
 * name, written {@code name.<placeholder>} ({@code domain.<bucket>}).
 *
 * <pre>{@code
 * Setting.builder("accessKeySecret").secret().required().environment("OSS_ACCESS_KEY_SECRET")
 *     .description("the AccessKey secret").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; no component is null (absent ones are empty).
 */
public final class Setting {
  private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");

  /** How a setting's value is written and checked. */
  public enum Type {
    /** Free text. */
    STRING,
    /** {@code true} or {@code false} (also {@code yes}/{@code no}, {@code 1}/{@code 0}). */
    BOOLEAN,
    /** A whole number. */
    INTEGER,
    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT30S}). */
    DURATION,
    /** A host ({@code api.example.com}, https) or a URL with a scheme and no path. */
    HOST,
    /** A file or folder on this machine. */
    PATH,
    /** One of {@link #values()}, without regard to case. */
    ENUM,
    /** A comma-separated list. */
    LIST
  }

  private final String name;
  private final Type type;
  private final boolean required;
  private final boolean secret;
  private final String defaultValue;
  private final String description;
  private final List<String> environment;
  private final List<String> values;
  private final String mapKey;

  private Setting(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.required = b.required;
    this.secret = b.secret;
    this.defaultValue = b.defaultValue;
    this.description = b.description;
    this.environment = List.copyOf(b.environment);
    this.values = List.copyOf(b.values);
    this.mapKey = b.mapKey;
  }

  /** Starts a {@link Type#STRING} setting named {@code name} (one camelCase word). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns the name, one camelCase word such as {@code accessKeyId}. */
  public String name() {
    return name;
  }

  /**
   * Returns the name as written in configuration: {@code name}, or {@code name.<placeholder>} for a
   * map setting.
   */
  public String key() {
    return mapKey.isEmpty() ? name : name + ".<" + mapKey + ">";
  }

  public Type type() {
    return type;
  }

  public boolean isRequired() {
    return required;
  }

  /** Returns true for credentials: their values are never shown. */
  public boolean isSecret() {
    return secret;
  }

  /**
   * Returns true when the setting takes any number of keys below its name ({@code
   * domain.<bucket>}).
   */
  public boolean isMap() {
    return !mapKey.isEmpty();
  }

  /**
   * Returns the default as users would write it, or what happens when unset; empty when there is
   * none.
   */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** Returns the one-line description. */
  public String description() {
    return description;
  }

  /**
   * Returns the vendor's environment variables read when nothing else sets the value, first wins.
   */
  public List<String> environment() {
    return environment;
  }

  /** Returns the allowed values of an {@link Type#ENUM} setting. */
  public List<String> values() {
    return values;
  }

  /**
   * Returns whether {@code key} (a key below the instance, any case, camelCase or kebab-case) is
   * this setting, or one of its keys for a map setting.
   */
  public boolean matches(String key) {
    String head = key;
    int dot = key.indexOf('.');
    if (dot >= 0) {
      if (!isMap() || dot == key.length() - 1) {
        return false;
      }
      head = key.substring(0, dot);
    } else if (isMap()) {
      return false;
    }
    return canonical(head).equals(canonical(name));
  }

  /**
   * Returns the form of {@code key} that settings are compared by: its first word without '-' and
   * in lower case, so that {@code access-key-id}, {@code accessKeyId} and {@code ACCESSKEYID} are
   * one setting; what follows the first '.' (a map setting's bucket or prefix) keeps its dashes.
   */
  public static String canonical(String key) {
    int dot = key.indexOf('.');
    String head = dot < 0 ? key : key.substring(0, dot);
    String tail = dot < 0 ? "" : key.substring(dot);
    return (head.replace("-", "") + tail).toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Setting s
        && s.name.equals(name)
        && s.mapKey.equals(mapKey)
        && s.type == type
        && s.required == required
        && s.secret == secret
        && Objects.equals(s.defaultValue, defaultValue)
        && s.description.equals(description)
        && s.environment.equals(environment)
        && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name, mapKey, type, required, secret, defaultValue, description, environment, values);
  }

  @Override
  public String toString() {
    return "Setting{"
        + key()
        + ", "
        + type
        + (required ? ", required" : "")
        + (secret ? ", secret" : "")
        + (defaultValue == null ? "" : ", default " + defaultValue)
        + "}";
  }

  /** Builds a {@link Setting}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private Type type = Type.STRING;
    private boolean required;
    private boolean secret;
    private String defaultValue;
    private String description = "";
    private List<String> environment = List.of();
    private List<String> values = List.of();
    private String mapKey = "";

    private Builder(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a setting name is one camelCase word, was '" + name + "'");
      }
      this.name = name;
    }

    public Builder type(Type type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /** Makes this an {@link Type#ENUM} setting with these values. */
    public Builder values(String... values) {
      this.type = Type.ENUM;
      this.values = List.of(values);
      return this;
    }

    /** Makes the setting required: creating a client without it fails with a message naming it. */
    public Builder required() {
      this.required = true;
      return this;
    }

    /** Marks a credential: its value is never shown. */
    public Builder secret() {
      this.secret = true;
      return this;
    }

    /** Sets the default, as users would write it, or a short phrase for a computed one. */
    public Builder defaultValue(String value) {
      this.defaultValue = Objects.requireNonNull(value, "value");
      return this;
    }

    public Builder description(String text) {
      this.description = Objects.requireNonNull(text, "text");
      return this;
    }

    /** Sets the vendor's environment variables read when nothing else sets the value. */
    public Builder environment(String... names) {
      this.environment = List.of(names);
      return this;
    }

    /**
     * Makes this a map setting, written {@code name.<placeholder>} with any key in place of the
     * placeholder.
     */
    public Builder map(String placeholder) {
      if (placeholder == null || placeholder.isEmpty() || !placeholder.matches("[a-zA-Z]+")) {
        throw new IllegalArgumentException(
            "a map setting's placeholder is a word, was '" + placeholder + "'");
      }
      this.mapKey = placeholder;
      return this;
    }

    public Setting build() {
      if (type == Type.ENUM && values.isEmpty()) {
        throw new IllegalStateException(name + ": an ENUM setting needs values(...)");
      }
      return new Setting(this);
    }
  }
}
