package dev.mediaflow.oss;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.internal.ObservedHttp;
import dev.mediaflow.spi.ProviderConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The certificates MNS signs its HTTP-endpoint pushes with: a certificate URL is trusted only on
 * the vendor's hosts ({@code media.oss.mnsCertHosts}), fetched over https once, and kept in a small
 * cache. Thread-safe.
 */
final class MnsCertificates {
  /**
   * The hosts MNS serves its signing certificates from
   * (https://help.aliyun.com/document_detail/27488.html): {@code
   * mnstest.oss-cn-hangzhou.aliyuncs.com}, and {@code mns-cert.oss-<region>.aliyuncs.com}.
   */
  static final String DEFAULT_HOSTS =
      "mnstest.oss-cn-hangzhou.aliyuncs.com,mns-cert.oss-*.aliyuncs.com";

  static final int CACHE_SIZE = 16;
  static final int MAX_CERTIFICATE = 64 * 1024;

  /** Why a certificate URL was not used: the HTTP status to answer and the reason. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }
  }

  /** One allowed host: a pattern over https, or an exact {@code http://host:port}. */
  private record Allowed(String scheme, Pattern host, int port) {}

  private final List<Allowed> allowed;
  private final OkHttpClient http;
  private final Map<String, PublicKey> cache =
      new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PublicKey> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  private MnsCertificates(List<Allowed> allowed, OkHttpClient http) {
    this.allowed = allowed;
    this.http = http;
  }

  /**
   * Reads {@code mnsCertHosts}: comma-separated host names, where {@code *} stands for one label's
   * letters, digits and dashes, fetched over https; or {@code http://host:port}, trusted over plain
   * http at exactly that port (a local fake server).
   */
  static MnsCertificates from(ProviderConfig c, OkHttpClient http) {
    String key = c.fullKey("mnsCertHosts");
    List<Allowed> allowed = new ArrayList<>();
    for (String entry : c.get("mnsCertHosts").orElse(DEFAULT_HOSTS).split(",")) {
      String e = entry.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.startsWith("http://") || e.startsWith("https://")) {
        HttpUrl u = HttpUrl.parse(e);
        if (u == null || !u.encodedPath().equals("/") || e.contains("*")) {
          throw new MediaConfigException(
              key, key + " takes hosts, or http://host:port without a path, was '" + entry + "'");
        }
        allowed.add(new Allowed(u.scheme(), Pattern.compile(Pattern.quote(u.host())), u.port()));
      } else {
        if (!e.matches("[a-z0-9*.-]+")) {
          throw new MediaConfigException(
              key,
              key + " takes host names such as mns-cert.oss-*.aliyuncs.com, was '" + entry + "'");
        }
        StringBuilder p = new StringBuilder();
        for (String part : e.split("\\*", -1)) {
          if (p.length() > 0) {
            p.append("[a-z0-9-]+");
          }
          p.append(Pattern.quote(part));
        }
        allowed.add(new Allowed("https", Pattern.compile(p.toString()), 443));
      }
    }
    if (allowed.isEmpty()) {
      throw new MediaConfigException(key, key + " names no host");
    }
    return new MnsCertificates(List.copyOf(allowed), http);
  }

  /**
   * Returns the public key of the certificate at {@code url} (as decoded from {@code
   * x-mns-signing-cert-url}): {@code http://} is fetched as {@code https://} unless an entry allows
   * plain http to that host and port.
   */
  PublicKey key(String url) throws Refused {
    HttpUrl u = HttpUrl.parse(url.strip());
    if (u == null) {
      throw new Refused(403, "the signing certificate URL is not a URL");
    }
    HttpUrl fetch = trusted(u);
    if (fetch == null) {
      throw new Refused(
          403, "the signing certificate is not on an MNS host (" + u.host() + "): not trusted");
    }
    String cacheKey = fetch.toString();
    synchronized (cache) {
      PublicKey k = cache.get(cacheKey);
      if (k != null) {
        return k;
      }
    }
    PublicKey k = download(fetch);
    synchronized (cache) {
      cache.put(cacheKey, k);
    }
    return k;
  }

  /** The URL to fetch when {@code u} is on an allowed host, else null. */
  HttpUrl trusted(HttpUrl u) {
    String host = u.host().toLowerCase(Locale.ROOT);
    for (Allowed a : allowed) {
      if (!a.host().matcher(host).matches()) {
        continue;
      }
      if (a.scheme().equals("http")) {
        if (u.scheme().equals("http") && u.port() == a.port()) {
          return u;
        }
        continue;
      }
      boolean defaultPort = u.port() == HttpUrl.defaultPort(u.scheme());
      if (defaultPort) {
        return u.newBuilder().scheme("https").port(a.port()).build();
      }
    }
    return null;
  }

  private PublicKey download(HttpUrl url) throws Refused {
    Request request =
        ObservedHttp.operation(new Request.Builder().url(url).get(), "fetch-certificate").build();
    try (Response r = http.newCall(request).execute()) {
      ResponseBody body = r.body();
      if (!r.isSuccessful() || body == null) {
        throw new Refused(
            r.code() >= 500 ? 503 : 403,
            "the signing certificate " + url + " answered HTTP " + r.code());
      }
      if (body.contentLength() > MAX_CERTIFICATE) {
        throw new Refused(403, "the signing certificate is larger than a certificate");
      }
      if (body.source().request(MAX_CERTIFICATE + 1L)) {
        throw new Refused(403, "the signing certificate is larger than a certificate");
      }
      byte[] bytes = body.source().readByteArray();
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(bytes))
          .getPublicKey();
    } catch (CertificateException e) {
      throw new Refused(403, "the signing certificate is not an X.509 certificate");
    } catch (IOException e) {
      throw new Refused(503, "cannot fetch the signing certificate " + url + " now");
    }
  }
}
