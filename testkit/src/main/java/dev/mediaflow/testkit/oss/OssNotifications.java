package dev.mediaflow.testkit.oss;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.testkit.ObjectStore;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the fake OSS tells others: upload callbacks, made as OSS makes them (the body template
 * filled in, POSTed to {@code callbackUrl} with {@code Authorization} = Base64 of an MD5withRSA
 * signature over {@code urldecode(path) [+ "?" + query] + "\n" + body}, and {@code
 * x-oss-pub-key-url} = Base64 of the public key's URL: OSS's own URL, which tests resolve to {@link
 * #publicKeyPem()}), and the messages IMM tasks publish to their topics. Thread-safe.
 */
final class OssNotifications {
  /** The key URL OSS puts on its callbacks. */
  static final String PUBLIC_KEY_URL = "https://gosspublic.alicdn.com/callback_pub_key_v1.pem";

  record Outcome(boolean ok, String body) {}

  private final KeyPair keys;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Map<String, List<String>> topics = new ConcurrentHashMap<>();

  OssNotifications() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(1024);
      keys = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private volatile java.util.function.BiConsumer<String, String> subscribers = (t, m) -> {};

  /** Hands every message published from now on to {@code subscribers} (topic, message). */
  void pushTo(java.util.function.BiConsumer<String, String> subscribers) {
    this.subscribers = subscribers;
  }

  /** Keeps {@code message} as published to {@code topic}, and pushes it to its subscribers. */
  void publish(String topic, String message) {
    topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(message);
    subscribers.accept(topic, message);
  }

  List<String> topicMessages(String topic) {
    return List.copyOf(topics.getOrDefault(topic, List.of()));
  }

  /**
   * Makes the upload callback {@code callbackHeader} asks for; returns whether it worked and the
   * answer.
   */
  Outcome call(
      String callbackHeader, String varsHeader, String bucket, String key, ObjectStore.Meta meta) {
    Map<String, String> vars = new java.util.LinkedHashMap<>();
    try {
      if (varsHeader != null) {
        JsonObject v =
            JsonParser.parseString(
                    new String(Base64.getDecoder().decode(varsHeader), StandardCharsets.UTF_8))
                .getAsJsonObject();
        v.keySet().forEach(name -> vars.put(name, v.get(name).getAsString()));
      }
    } catch (RuntimeException e) {
      return new Outcome(
          false, "The callback configuration is not valid JSON in Base64: " + e.getMessage());
    }
    return call(callbackHeader, vars, bucket, key, meta, "application/octet-stream");
  }

  /**
   * Makes the upload callback {@code callbackHeader} asks for, with the custom variables {@code
   * vars} ({@code x:name} to value) and the object's type; returns whether it worked and the
   * answer.
   */
  Outcome call(
      String callbackHeader,
      Map<String, String> vars,
      String bucket,
      String key,
      ObjectStore.Meta meta,
      String mimeType) {
    JsonObject cb;
    try {
      cb =
          JsonParser.parseString(
                  new String(Base64.getDecoder().decode(callbackHeader), StandardCharsets.UTF_8))
              .getAsJsonObject();
    } catch (RuntimeException e) {
      return new Outcome(
          false, "The callback configuration is not valid JSON in Base64: " + e.getMessage());
    }
    if (!cb.has("callbackUrl") || !cb.has("callbackBody")) {
      return new Outcome(false, "The callback configuration lacks callbackUrl or callbackBody");
    }
    String body = cb.get("callbackBody").getAsString();
    Map<String, String> values =
        Map.of(
            "bucket",
            bucket,
            "object",
            key,
            "etag",
            meta.etag().replace("\"", ""),
            "size",
            String.valueOf(meta.size()),
            "mimeType",
            mimeType);
    for (Map.Entry<String, String> v : values.entrySet()) {
      body = body.replace("${" + v.getKey() + "}", v.getValue());
    }
    for (Map.Entry<String, String> v : vars.entrySet()) {
      body = body.replace("${" + v.getKey() + "}", v.getValue());
    }
    String type =
        cb.has("callbackBodyType")
            ? cb.get("callbackBodyType").getAsString()
            : "application/x-www-form-urlencoded";
    URI url = URI.create(cb.get("callbackUrl").getAsString().split(";")[0]);
    String signed =
        URLDecoder.decode(url.getRawPath(), StandardCharsets.UTF_8)
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
            + "\n"
            + body;
    try {
      Signature s = Signature.getInstance("MD5withRSA");
      s.initSign(keys.getPrivate());
      s.update(signed.getBytes(StandardCharsets.UTF_8));
      HttpRequest.Builder r =
          HttpRequest.newBuilder(url)
              .timeout(Duration.ofSeconds(5))
              .header("Content-Type", type)
              .header("Authorization", Base64.getEncoder().encodeToString(s.sign()))
              .header(
                  "x-oss-pub-key-url",
                  Base64.getEncoder()
                      .encodeToString(PUBLIC_KEY_URL.getBytes(StandardCharsets.UTF_8)))
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        return new Outcome(false, "Error status : " + resp.statusCode() + ".");
      }
      return new Outcome(true, resp.body());
    } catch (GeneralSecurityException | java.io.IOException e) {
      return new Outcome(false, "Error status : -1 " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted");
    }
  }
}
