package dev.mediaflow.testkit;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.WireFault;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Adapts a {@link FakeServer} to the provider TCK's {@link FakeService}, so a provider's tests can
 * run the TCK's wire and upload contracts against the fake OSS, Qiniu or COS server. Needs {@code
 * dev.mediaflow:mediaflow-provider-tck} on the class path (an optional dependency of the testkit).
 *
 * <p>Objects are named as the provider's pipelines name them: a bucket is stored under {@link
 * FakeServer#storedBucket(String)}, so the TCK's bucket {@code media} is the fake COS's {@code
 * media-<APPID>}, the bucket a COS client configured with the fake's {@code media.cos.appId} reads.
 */
public final class FakeServices {
  private FakeServices() {}

  /** Returns {@code server} as a {@link FakeService}; faults are always injectable. */
  public static FakeService of(FakeServer server) {
    return new FakeService() {
      @Override
      public Map<String, String> clientSettings() {
        return server.clientSettings();
      }

      @Override
      public void put(MediaObject object, byte[] data) {
        server.objects().put(server.storedBucket(object.bucket()), object.key(), data);
      }

      @Override
      public Optional<byte[]> get(MediaObject object) {
        return server.objects().get(server.storedBucket(object.bucket()), object.key());
      }

      @Override
      public List<String> requests() {
        return server.requests();
      }

      @Override
      public boolean injectsFaults() {
        return true;
      }

      @Override
      public void inject(Predicate<String> request, WireFault fault, int times) {
        server.inject(request, fault(fault), times);
      }

      @Override
      public void injectRandomly(
          Predicate<String> request, double probability, long seed, WireFault... faults) {
        server.injectRandomly(
            request,
            probability,
            seed,
            Arrays.stream(faults).map(FakeServices::fault).toArray(Fault[]::new));
      }

      @Override
      public void clearFaults() {
        server.clearFaults();
      }

      @Override
      public List<String> openUploads() {
        return server.openUploads();
      }

      @Override
      public int jobCount() {
        return server.jobCount();
      }

      @Override
      public String toString() {
        return server.toString();
      }
    };
  }

  /** Returns the server fault that {@code fault} names. */
  static Fault fault(WireFault fault) {
    return switch (fault) {
      case SERVER_ERROR -> Fault.status(500);
      case UNAVAILABLE -> Fault.status(503);
      case REFUSED -> Fault.status(403);
      case THROTTLED -> Fault.throttle(Duration.ZERO);
      case DROP -> Fault.drop();
      case DROP_AFTER_PROCESSING -> Fault.dropAfterProcessing();
      case DELAY -> Fault.delay(Duration.ofMillis(200));
      case CORRUPT -> Fault.corrupt();
    };
  }
}
