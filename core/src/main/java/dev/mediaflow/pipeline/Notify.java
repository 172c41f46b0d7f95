package dev.mediaflow.pipeline;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a provider reports a finished job: an http(s) URL it POSTs to (Qiniu {@code notifyURL}), or
 * the name of a message topic (OSS sends to an MNS topic). In the JSON spec both are the string
 * {@code notify}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Notify {
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,255}");

  private final URI url;
  private final String topic;

  private Notify(URI url, String topic) {
    this.url = url;
    this.topic = topic;
  }

  /** Parses the JSON form: an http(s) URL, or a topic name of letters, digits and '-'. */
  public static Notify parse(String value) {
    Check.text("notify", value, 2048);
    if (value.startsWith("http://") || value.startsWith("https://")) {
      return url(value);
    }
    if (value.contains(":") || value.contains("/")) {
      throw new MediaValidationException(
          "notify", "must be an http(s) URL or a topic name, was \"" + value + "\"");
    }
    return topic(value);
  }

  /** Returns a notification by HTTP POST to {@code url}, which must be absolute http or https. */
  public static Notify url(String url) {
    Check.text("notify", url, 2048);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new MediaValidationException("notify", "is not a valid URL: " + e.getReason());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new MediaValidationException(
          "notify", "must be an absolute http or https URL, was \"" + url + "\"");
    }
    return new Notify(uri, null);
  }

  /** Returns a notification to the message topic {@code name} (letters, digits and '-'). */
  public static Notify topic(String name) {
    Check.text("notify", name, 256);
    if (!TOPIC.matcher(name).matches()) {
      throw new MediaValidationException(
          "notify", "a topic name has letters, digits and '-' only, was \"" + name + "\"");
    }
    return new Notify(null, name);
  }

  public Optional<URI> url() {
    return Optional.ofNullable(url);
  }

  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Notify n && toString().equals(n.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** Returns the JSON form: the URL or the topic name. */
  @Override
  public String toString() {
    return url != null ? url.toString() : topic;
  }
}
