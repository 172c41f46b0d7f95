package dev.mediaflow.job;

import dev.mediaflow.MediaValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Identifies a job across processes: the provider id, the configured instance (when not the default
 * one), the vendor's ids (a Qiniu persistentId, one OSS TaskId per output), and a few attributes a
 * provider needs to track it (such as the output keys to watch for).
 *
 * <p>The string form is {@code provider[@instance]:id1,id2[?name=value&...]} with every part
 * percent-encoded, for example {@code qiniu:z0.6637d2c5} or {@code oss@east:T1,T2?b=media}. {@link
 * #parse(String)} reverses {@link #toString()} exactly. Immutable and thread-safe.
 */
public final class JobId {
  private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9-]*");

  private final String provider;
  private final String instance;
  private final List<String> vendorIds;
  private final Map<String, String> attributes;

  private JobId(
      String provider, String instance, List<String> vendorIds, Map<String, String> attributes) {
    if (provider == null || !PROVIDER.matcher(provider).matches()) {
      throw new MediaValidationException(
          "jobId.provider", "must be a provider id such as oss or qiniu, was " + provider);
    }
    if (instance != null && instance.isEmpty()) {
      throw new MediaValidationException("jobId.instance", "must not be empty");
    }
    if (vendorIds == null || vendorIds.isEmpty()) {
      throw new MediaValidationException("jobId.vendorIds", "needs at least one vendor id");
    }
    for (String id : vendorIds) {
      if (id == null || id.isEmpty()) {
        throw new MediaValidationException("jobId.vendorIds", "must not hold an empty id");
      }
    }
    this.provider = provider;
    this.instance = instance;
    this.vendorIds = List.copyOf(vendorIds);
    this.attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /** Returns the id of a job with one vendor id. */
  public static JobId of(String provider, String vendorId) {
    return new JobId(provider, null, List.of(vendorId), Map.of());
  }

  /** Returns a job id; {@code instance} is null for the default instance of {@code provider}. */
  public static JobId of(
      String provider, String instance, List<String> vendorIds, Map<String, String> attributes) {
    return new JobId(provider, instance, vendorIds, attributes);
  }

  /**
   * Returns a copy naming the configured instance that submitted it (null for the provider's own
   * name).
   */
  public JobId withInstance(String instance) {
    String normalized = instance == null || instance.equals(provider) ? null : instance;
    return new JobId(provider, normalized, vendorIds, attributes);
  }

  /** Parses the string form. */
  public static JobId parse(String text) {
    if (text == null || text.isBlank()) {
      throw new MediaValidationException("jobId", "is empty");
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new MediaValidationException(
          "jobId", "must look like provider:vendorId, was \"" + text + "\"");
    }
    String head = text.substring(0, colon);
    String rest = text.substring(colon + 1);
    String provider = head;
    String instance = null;
    int at = head.indexOf('@');
    if (at >= 0) {
      provider = head.substring(0, at);
      instance = decode(head.substring(at + 1), text);
    }
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    List<String> ids = new ArrayList<>();
    for (String part : rest.split(",", -1)) {
      ids.add(decode(part, text));
    }
    Map<String, String> attrs = new TreeMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&", -1)) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new MediaValidationException("jobId", "has a malformed attribute \"" + pair + "\"");
        }
        attrs.put(decode(pair.substring(0, eq), text), decode(pair.substring(eq + 1), text));
      }
    }
    return new JobId(provider, instance, ids, attrs);
  }

  public String provider() {
    return provider;
  }

  /** Returns the configured instance name, or empty for the provider's default instance. */
  public Optional<String> instance() {
    return Optional.ofNullable(instance);
  }

  /**
   * Returns the vendor's ids, in output order where there is one per output: when there are
   * several, vendor id {@code i} is the vendor job that runs output {@code i}.
   */
  public List<String> vendorIds() {
    return vendorIds;
  }

  /** Returns the first (often the only) vendor id. */
  public String vendorId() {
    return vendorIds.get(0);
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobId j
        && j.provider.equals(provider)
        && Objects.equals(j.instance, instance)
        && j.vendorIds.equals(vendorIds)
        && j.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, instance, vendorIds, attributes);
  }

  /** Returns the string form, which {@link #parse(String)} turns back into an equal id. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(provider);
    if (instance != null) {
      s.append('@').append(encode(instance));
    }
    s.append(':');
    for (int i = 0; i < vendorIds.size(); i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append(encode(vendorIds.get(i)));
    }
    if (!attributes.isEmpty()) {
      char sep = '?';
      for (Map.Entry<String, String> e : attributes.entrySet()) {
        s.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        sep = '&';
      }
    }
    return s.toString();
  }

  private static boolean unreserved(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '.'
        || b == '_'
        || b == '~';
  }

  private static String encode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (unreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String s, String whole) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new MediaValidationException("jobId", "has a bad %-escape in \"" + whole + "\"");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (unreserved(c)) {
        out.write(c);
      } else {
        throw new MediaValidationException(
            "jobId", "has an unexpected character '" + c + "' in \"" + whole + "\"");
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
