package dev.mediaflow.tck;

import dev.mediaflow.pipeline.MediaObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the wire and upload contracts need from the back end a provider is tested against, in
 * neutral terms: the settings that point a client at it, its objects, its request log, injected
 * faults, open multipart uploads and created jobs.
 *
 * <p>The testkit adapts its fake servers ({@code dev.mediaflow.testkit.FakeServices.of(server)}). A
 * provider with no HTTP (the local one) implements it over its storage and says so through {@link
 * #injectsFaults()}: the contracts skip the fault tests on that declared capability only.
 *
 * <p>A request is named by its line, {@code "METHOD /raw/path?raw-query"}: fault predicates get
 * that line, and {@link #requests()} adds the outcome after a space (the status, or {@code dropped}
 * when no answer was sent); {@link #request(String)} takes it off again. Implementations are
 * thread-safe.
 */
public interface FakeService {
  /**
   * Returns the settings ({@code media.provider} included) that point a client at this back end.
   */
  Map<String, String> clientSettings();

  /** Stores {@code data} as {@code object}. */
  void put(MediaObject object, byte[] data);

  /** Returns the bytes stored as {@code object}, or empty. */
  Optional<byte[]> get(MediaObject object);

  /**
   * Returns one line per request received, in order, each followed by its outcome; always empty
   * without HTTP.
   */
  List<String> requests();

  /** Returns the request line of a {@link #requests()} entry, without its outcome. */
  static String request(String logged) {
    int method = logged.indexOf(' ');
    int end = method < 0 ? -1 : logged.indexOf(' ', method + 1);
    return end < 0 ? logged : logged.substring(0, end);
  }

  /** Returns whether {@link #inject} and {@link #injectRandomly} work (a capability). */
  boolean injectsFaults();

  /**
   * Makes the next {@code times} requests whose line matches {@code request} fail with {@code
   * fault}.
   */
  void inject(Predicate<String> request, WireFault fault, int times);

  /**
   * Makes each request whose line matches {@code request} fail, with {@code probability}, with one
   * of {@code faults} picked at random from a generator seeded with {@code seed}.
   */
  void injectRandomly(
      Predicate<String> request, double probability, long seed, WireFault... faults);

  /** Removes every injected fault. */
  void clearFaults();

  /** Returns the ids of multipart uploads started and neither completed nor aborted. */
  List<String> openUploads();

  /** Returns how many submissions created a job. */
  int jobCount();
}
