package dev.mediaflow.local;

import com.google.gson.JsonParser;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.PipelineSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One local delivery URL, after the base URL: {@code /<bucket>/<key>?p=&style=&dn=&ct=&e=&sig=}
 * (format in {@code docs/local-server.md}). Both sides build the string to sign from the decoded
 * values, so an encoding the signer did not choose still means, and signs, the same thing.
 *
 * @param bucket the bucket
 * @param key the key
 * @param steps the processing chain as compact spec JSON ({@code p}, Base64url on the wire), or
 *     null
 * @param style a style name ({@code style}), or null
 * @param downloadName the download file name ({@code dn}), or null
 * @param contentType the response content type ({@code ct}), or null
 * @param expires when the URL expires, in epoch seconds ({@code e}); 0 when unsigned
 * @param signature the signature ({@code sig}), or null
 */
record LocalUrl(
    String bucket,
    String key,
    String steps,
    String style,
    String downloadName,
    String contentType,
    long expires,
    String signature) {
  static final String PROCESS = "p";
  static final String STYLE = "style";
  static final String DOWNLOAD_NAME = "dn";
  static final String CONTENT_TYPE = "ct";
  static final String EXPIRES = "e";
  static final String SIGNATURE = "sig";

  /** Versions the string to sign, so that a later format cannot be confused with this one. */
  private static final String SCHEME = "MEDIAFLOW-LOCAL-HMAC-SHA256";

  private static final List<String> ORDER =
      List.of(PROCESS, STYLE, DOWNLOAD_NAME, CONTENT_TYPE, EXPIRES);

  MediaObject object() {
    return MediaObject.of(bucket, key);
  }

  /** The path: each segment percent-encoded (RFC 3986 unreserved characters stay as they are). */
  String path() {
    StringBuilder b = new StringBuilder(bucket.length() + key.length() + 8);
    b.append('/').append(encode(bucket)).append('/');
    String[] segments = key.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        b.append('/');
      }
      b.append(encode(segments[i]));
    }
    return b.toString();
  }

  /** The query without the signature, in the fixed order p, style, dn, ct, e. */
  String query() {
    StringBuilder b = new StringBuilder();
    for (String name : ORDER) {
      String v = value(name);
      if (v != null) {
        b.append(b.length() == 0 ? "" : "&").append(name).append('=').append(encode(v));
      }
    }
    return b.toString();
  }

  private String value(String name) {
    return switch (name) {
      case PROCESS ->
          steps == null
              ? null
              : Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(steps.getBytes(StandardCharsets.UTF_8));
      case STYLE -> style;
      case DOWNLOAD_NAME -> downloadName;
      case CONTENT_TYPE -> contentType;
      case EXPIRES -> expires == 0 ? null : Long.toString(expires);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * What is signed: the scheme, then the path and query as {@link #path()} and {@link #query()}.
   */
  String stringToSign() {
    return SCHEME + "\n" + path() + "\n" + query();
  }

  /** The path and query, signed with {@code key} unless {@code unsigned}. */
  String signed(byte[] signingKey, boolean unsigned) {
    String q = query();
    if (!unsigned) {
      q = q + (q.isEmpty() ? "" : "&") + SIGNATURE + "=" + sign(signingKey, stringToSign());
    }
    return path() + (q.isEmpty() ? "" : "?" + q);
  }

  /** Whether {@link #signature()} is this URL's signature with {@code key} (constant time). */
  boolean isSignedWith(byte[] signingKey) {
    return signature != null
        && MessageDigest.isEqual(
            sign(signingKey, stringToSign()).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII));
  }

  static String sign(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The processing chain as compact spec JSON, the form carried in {@code p}. */
  static String stepsJson(MediaObject object, List<Operation> steps) {
    String pipeline =
        PipelineSpec.toCompactJson(
            Pipeline.of(object, List.of(Output.of(steps, object)), null, null));
    return JsonParser.parseString(pipeline)
        .getAsJsonObject()
        .getAsJsonArray("outputs")
        .get(0)
        .getAsJsonObject()
        .get("steps")
        .toString();
  }

  /**
   * Checks that a chain can be applied on a URL: image resizes and watermarks, after at most one
   * video frame taken first.
   */
  static void checkSteps(List<Operation> steps) {
    for (int i = 0; i < steps.size(); i++) {
      Operation op = steps.get(i);
      if (op instanceof Snapshot s) {
        if (i != 0 || s.isMultiFrame()) {
          throw new UnsupportedMediaOperationException(
              LocalJobClient.ID,
              op.type(),
              "",
              "a URL takes one video frame, as its first step; frames at intervals need a job");
        }
      } else if (op instanceof ImageResize r) {
        if (r.format().map(f -> f == dev.mediaflow.op.ImageFormat.HEIC).orElse(false)) {
          throw new UnsupportedMediaOperationException(
              LocalJobClient.ID, op.type(), "format", "FFmpeg cannot write HEIC; use avif or webp");
        }
      } else if (!(op instanceof Watermark)) {
        throw new UnsupportedMediaOperationException(
            LocalJobClient.ID,
            op.type(),
            "",
            "a local URL applies resize, watermark and one snapshot; run other operations as a job");
      }
    }
  }

  /**
   * Reads the raw path (after the base URL) and raw query of a request.
   *
   * @throws MediaValidationException for a path or query this server does not make
   */
  static LocalUrl parse(String rawPath, String rawQuery) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      throw new MediaValidationException("path", "must be /<bucket>/<key>");
    }
    int slash = rawPath.indexOf('/', 1);
    if (slash < 0 || slash == rawPath.length() - 1) {
      throw new MediaValidationException("path", "must be /<bucket>/<key>");
    }
    String bucket = decode(rawPath.substring(1, slash), "bucket");
    StringBuilder key = new StringBuilder();
    for (String segment : rawPath.substring(slash + 1).split("/", -1)) {
      key.append(key.length() == 0 ? "" : "/").append(decode(segment, "key"));
    }
    Map<String, String> q = new HashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&", -1)) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (!ORDER.contains(name) && !name.equals(SIGNATURE)) {
          throw new MediaValidationException("query", "unknown parameter '" + name + "'");
        }
        if (q.put(name, decode(eq < 0 ? "" : pair.substring(eq + 1), name)) != null) {
          throw new MediaValidationException("query", "parameter '" + name + "' given twice");
        }
      }
    }
    String steps = null;
    if (q.containsKey(PROCESS)) {
      try {
        steps =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(Base64.getUrlDecoder().decode(q.get(PROCESS))))
                .toString();
      } catch (IllegalArgumentException | CharacterCodingException e) {
        throw new MediaValidationException(PROCESS, "is not Base64url-encoded UTF-8");
      }
    }
    long expires = 0;
    if (q.containsKey(EXPIRES)) {
      try {
        expires = Long.parseLong(q.get(EXPIRES));
      } catch (NumberFormatException e) {
        throw new MediaValidationException(EXPIRES, "must be a number of epoch seconds");
      }
      if (expires <= 0) {
        throw new MediaValidationException(EXPIRES, "must be a number of epoch seconds");
      }
    }
    return new LocalUrl(
        bucket,
        key.toString(),
        steps,
        q.get(STYLE),
        q.get(DOWNLOAD_NAME),
        q.get(CONTENT_TYPE),
        expires,
        q.get(SIGNATURE));
  }

  Optional<String> stepsJson() {
    return Optional.ofNullable(steps);
  }

  /** Percent-encodes UTF-8 bytes except the RFC 3986 unreserved characters. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        b.append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }

  /** Decodes percent-escapes (a '+' stays a '+'); the bytes must be UTF-8. */
  static String decode(String s, String field) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new MediaValidationException(field, "has a broken percent-escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new MediaValidationException(field, "has a broken percent-escape");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        int cp = s.codePointAt(i);
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(cp) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MediaValidationException(field, "is not UTF-8");
    }
  }
}
