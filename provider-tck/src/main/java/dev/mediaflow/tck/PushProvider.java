package dev.mediaflow.tck;

import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.NotificationIntake;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.Setting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vendor-neutral test provider ({@code push}) whose jobs run until a test ends them with {@link
 * #end}, and whose "vendor" pushes notifications as requests with the headers {@code X-Push-Job},
 * {@code X-Push-State} and {@code X-Push-Message}, signed by {@code X-Push-Token} equal to the
 * instance's {@code token} setting. Counts status reads in {@link #READS}.
 */
public final class PushProvider implements MediaProvider {
  public static final AtomicInteger READS = new AtomicInteger();
  private static final Map<String, JobState> JOBS = new ConcurrentHashMap<>();
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Ends the job {@code vendorId} in {@code state} on the "vendor". */
  public static void end(String vendorId, JobState state) {
    JOBS.put(vendorId, state);
  }

  @Override
  public String id() {
    return "push";
  }

  @Override
  public List<Setting> settings() {
    return List.of(Setting.builder("token").secret().required().description("push secret").build());
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    String token = context.config().get("token").orElseThrow();
    return new ProviderClient() {
      @Override
      public String providerId() {
        return "push";
      }

      @Override
      public Capabilities capabilities() {
        return Capabilities.builder("push")
            .operations(Transcode.class)
            .containers(java.util.EnumSet.allOf(dev.mediaflow.op.Container.class))
            .notifyUrl(true)
            .build();
      }

      @Override
      public List<VendorRequest> render(Pipeline pipeline) {
        return List.of();
      }

      @Override
      public JobId submit(Pipeline pipeline) {
        String id = "p" + IDS.incrementAndGet();
        JOBS.put(id, JobState.RUNNING);
        return JobId.of("push", id);
      }

      @Override
      public JobStatus status(JobId id) {
        READS.incrementAndGet();
        return JobStatus.builder(id, JOBS.getOrDefault(id.vendorId(), JobState.RUNNING)).build();
      }

      @Override
      public Optional<NotificationIntake> notifications() {
        return Optional.of(
            new NotificationIntake() {
              @Override
              public boolean accepts(InboundRequest request) {
                return request.header("X-Push-Job").isPresent();
              }

              @Override
              public IntakeResult receive(InboundRequest r) {
                if (!r.header("X-Push-Token").orElse("").equals(token)) {
                  return new IntakeResult(403, "text/plain", "bad token\n", List.of());
                }
                JobState state;
                try {
                  state = JobState.valueOf(r.header("X-Push-State").orElse(""));
                } catch (IllegalArgumentException e) {
                  return new IntakeResult(400, "text/plain", "bad state\n", List.of());
                }
                JobId id = JobId.of("push", r.header("X-Push-Job").orElseThrow());
                String message = r.header("X-Push-Message").orElse(id + "#" + state);
                return new IntakeResult(
                    200,
                    "text/plain",
                    "ok\n",
                    List.of(new JobEvent(message, JobStatus.builder(id, state).build())));
              }
            });
      }
    };
  }
}
