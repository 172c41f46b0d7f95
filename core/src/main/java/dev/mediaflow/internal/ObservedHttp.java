package dev.mediaflow.internal;

import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.Origin;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Times every HTTP request a provider sends and tells the observer, tagged with the operation the
 * provider named ({@link HttpCalls#read(String, Request)}, {@link #operation}). Added to a client's
 * own derivation of the shared HTTP client only when an observer is set.
 */
public final class ObservedHttp implements Interceptor {
  /** The operation of a request that names none. */
  public static final String OTHER = "other";

  /** The tag a provider puts on a request to name its operation. */
  record Operation(String name) {}

  private final MediaObserver observer;
  private final Origin origin;

  private ObservedHttp(MediaObserver observer, Origin origin) {
    this.observer = observer;
    this.origin = origin;
  }

  /**
   * Returns {@code http} reporting its requests to {@code observer} under {@code origin}; {@code
   * http} itself for the no-op observer. The result shares {@code http}'s connections and threads.
   */
  public static OkHttpClient observe(OkHttpClient http, MediaObserver observer, Origin origin) {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(origin, "origin");
    if (observer == MediaObserver.noop()) {
      return http;
    }
    return http.newBuilder().addInterceptor(new ObservedHttp(observer, origin)).build();
  }

  /**
   * Returns {@code builder} with its request named {@code operation}: a lower-case, fixed word such
   * as {@code submit} or {@code upload-part}, never a key or a URL.
   */
  public static Request.Builder operation(Request.Builder builder, String operation) {
    return builder.tag(Operation.class, new Operation(operation));
  }

  /** Returns true when {@code http} reports its requests to an observer. */
  static boolean isObserved(OkHttpClient http) {
    for (Interceptor i : http.interceptors()) {
      if (i instanceof ObservedHttp) {
        return true;
      }
    }
    return false;
  }

  /** Returns the operation {@code request} is named with, or {@link #OTHER}. */
  static String operationOf(Request request) {
    Operation op = request.tag(Operation.class);
    return op == null ? OTHER : op.name();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    long start = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException e) {
      observer.httpRequest(
          origin, operationOf(request), request.method(), 0, e, System.nanoTime() - start);
      throw e;
    }
    observer.httpRequest(
        origin,
        operationOf(request),
        request.method(),
        response.code(),
        null,
        System.nanoTime() - start);
    return response;
  }
}
