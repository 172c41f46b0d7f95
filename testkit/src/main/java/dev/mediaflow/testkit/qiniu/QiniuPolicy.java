package dev.mediaflow.testkit.qiniu;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLConnection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The put policy of a verified upload token, and the rules Qiniu applies with it when an upload
 * completes (https://developer.qiniu.com/kodo/1206/put-policy): the scope (an exact key, or a
 * prefix with {@code isPrefixalScope}), {@code fsizeMin}/{@code fsizeLimit}, {@code mimeLimit},
 * {@code insertOnly}, the key from {@code saveKey}, and the magic variables
 * (https://developer.qiniu.com/kodo/1235/vars) of {@code saveKey}, {@code returnBody} and {@code
 * callbackBody}. Immutable.
 */
final class QiniuPolicy {
  /** {@code $(name)}, {@code ${name}}, {@code $(x:name)} and {@code $(name.field)}. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\(([A-Za-z][A-Za-z0-9_.:-]*)\\)|\\$\\{([A-Za-z][A-Za-z0-9_.:-]*)}");

  /** An upload the policy refuses, with Qiniu's status and message. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private final JsonObject json;
  private final String bucket;
  private final String scopeKey;
  private final boolean prefixal;

  QiniuPolicy(JsonObject json) {
    this.json = json;
    String[] scope = json.get("scope").getAsString().split(":", 2);
    this.bucket = scope[0];
    this.scopeKey = scope.length == 2 ? scope[1] : null;
    this.prefixal = scopeKey != null && number("isPrefixalScope") != 0;
  }

  /** Returns the bucket of the scope. */
  String bucket() {
    return bucket;
  }

  /** Returns the policy's string field {@code name}, or null. */
  String text(String name) {
    JsonElement e = json.get(name);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /** Returns the policy's numeric (or boolean) field {@code name}, or 0. */
  long number(String name) {
    JsonElement e = json.get(name);
    if (e == null || e.isJsonNull()) {
      return 0;
    }
    if (e.getAsJsonPrimitive().isBoolean()) {
      return e.getAsBoolean() ? 1 : 0;
    }
    return e.getAsLong();
  }

  boolean has(String name) {
    return json.has(name) && !json.get(name).isJsonNull();
  }

  /**
   * Returns the key an upload is stored as: {@code saveKey} filled in when {@code forceSaveKey} is
   * true or the uploader sent no key, else the uploader's key, else the content's hash (Qiniu's
   * default name).
   */
  String key(String sent, Map<String, String> vars) {
    String saveKey = text("saveKey");
    if (saveKey != null && (sent == null || number("forceSaveKey") != 0)) {
      return render(saveKey, vars, false);
    }
    return sent != null ? sent : vars.get("etag");
  }

  /**
   * Checks the key against the scope: {@code bucket:key} allows that key only, {@code
   * bucket:prefix} with {@code isPrefixalScope} any key starting with the prefix; Qiniu answers 403
   * {@code key doesn't match with scope} otherwise.
   */
  void checkScope(String key) throws Refused {
    if (scopeKey == null) {
      return;
    }
    boolean ok = prefixal ? key != null && key.startsWith(scopeKey) : scopeKey.equals(key);
    if (!ok) {
      throw new Refused(403, "key doesn't match with scope");
    }
  }

  /**
   * Checks the size: over {@code fsizeLimit} Qiniu answers 413 {@code exceed FsizeLimit}; under
   * {@code fsizeMin} 403 (its message is not documented: the fake says {@code exceed FsizeMin}).
   */
  void checkSize(long size) throws Refused {
    if (has("fsizeLimit") && size > number("fsizeLimit")) {
      throw new Refused(413, "exceed FsizeLimit");
    }
    if (has("fsizeMin") && size < number("fsizeMin")) {
      throw new Refused(403, "exceed FsizeMin");
    }
  }

  /**
   * Checks the MIME type against {@code mimeLimit}: {@code ;}-separated types, {@code type/*} for a
   * whole type, or after a leading {@code !} the types refused; Qiniu answers 403 {@code limited
   * mimeType}.
   */
  void checkMimeType(String mimeType) throws Refused {
    String limit = text("mimeLimit");
    if (limit == null || limit.isEmpty()) {
      return;
    }
    boolean exclude = limit.startsWith("!");
    boolean listed = false;
    String type = mimeType.toLowerCase(Locale.ROOT);
    for (String pattern : (exclude ? limit.substring(1) : limit).split(";")) {
      String p = pattern.trim().toLowerCase(Locale.ROOT);
      if (p.equals(type)
          || p.equals("*/*")
          || (p.endsWith("/*") && type.startsWith(p.substring(0, p.length() - 1)))) {
        listed = true;
      }
    }
    if (listed == exclude) {
      throw new Refused(403, "limited mimeType: this file type (" + mimeType + ") is forbidden");
    }
  }

  /**
   * Returns whether the upload may only create: {@code insertOnly}, a scope of the bucket alone, or
   * a prefixal scope (which never overwrites).
   */
  boolean insertOnly() {
    return number("insertOnly") != 0 || scopeKey == null || prefixal;
  }

  /**
   * Returns the MIME type Qiniu gives an upload: with {@code detectMime} the one the content shows;
   * else the uploader's (unless {@code application/octet-stream}), else the file name's extension,
   * else the key's, else the content's, else {@code application/octet-stream}.
   */
  String mimeType(String sent, String fileName, String key, byte[] head) {
    String sniffed = sniff(head);
    if (number("detectMime") != 0 && sniffed != null) {
      return sniffed;
    }
    if (sent != null && !sent.isBlank() && !sent.equalsIgnoreCase("application/octet-stream")) {
      int semicolon = sent.indexOf(';');
      return (semicolon < 0 ? sent : sent.substring(0, semicolon)).trim();
    }
    for (String name : new String[] {fileName, key}) {
      String byName = byExtension(name);
      if (byName != null) {
        return byName;
      }
    }
    return sniffed != null ? sniffed : "application/octet-stream";
  }

  private static String byExtension(String name) {
    if (name == null) {
      return null;
    }
    String last = name.substring(name.lastIndexOf('/') + 1);
    int dot = last.lastIndexOf('.');
    return dot < 0 ? null : URLConnection.guessContentTypeFromName("x" + last.substring(dot));
  }

  private static String sniff(byte[] head) {
    if (head == null || head.length == 0) {
      return null;
    }
    try {
      return URLConnection.guessContentTypeFromStream(new ByteArrayInputStream(head));
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Returns the magic variables of an upload: {@code bucket}, {@code key}, {@code etag}, {@code
   * fsize}, {@code mimeType}, {@code fname}, {@code fprefix}, {@code ext}, {@code endUser}, the
   * time ({@code year}, {@code mon}, {@code day}, {@code hour}, {@code min}, {@code sec}; UTC, as
   * Qiniu does not say its zone) and the uploader's {@code x:} variables.
   */
  Map<String, String> variables(
      String key,
      String hash,
      long size,
      String mimeType,
      String fileName,
      Instant now,
      Map<String, String> custom) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("bucket", bucket);
    if (key != null) {
      v.put("key", key);
    }
    v.put("etag", hash);
    v.put("hash", hash);
    v.put("fsize", String.valueOf(size));
    v.put("mimeType", mimeType);
    String fname = fileName == null ? "" : fileName;
    v.put("fname", fname);
    int dot = fname.lastIndexOf('.');
    v.put("ext", dot < 0 ? "" : fname.substring(dot));
    v.put("fprefix", dot < 0 ? fname : fname.substring(0, dot));
    v.put("endUser", text("endUser") == null ? "" : text("endUser"));
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    v.put("year", String.format("%04d", t.getYear()));
    v.put("mon", String.format("%02d", t.getMonthValue()));
    v.put("day", String.format("%02d", t.getDayOfMonth()));
    v.put("hour", String.format("%02d", t.getHour()));
    v.put("min", String.format("%02d", t.getMinute()));
    v.put("sec", String.format("%02d", t.getSecond()));
    custom.forEach(v::put);
    return v;
  }

  /**
   * Fills the magic variables of {@code template}; an {@code x:} variable the uploader did not send
   * becomes empty, another unknown variable stays as written. With {@code json}, values are escaped
   * for a JSON string.
   */
  static String render(String template, Map<String, String> vars, boolean json) {
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = vars.get(name);
      if (value == null) {
        value = name.startsWith("x:") ? "" : m.group();
      } else if (json) {
        value = jsonEscape(value);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
