package dev.mediaflow.tck;

import dev.mediaflow.MediaServiceException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.PipelineSpec;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.Setting;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A reference provider ({@code memory}) that keeps jobs in this JVM: the smallest complete {@link
 * MediaProvider}, for reading and for tests of code above the SPI.
 *
 * <p>It is not registered in this jar's {@code META-INF/services}, so depending on the TCK adds no
 * provider. A test that wants it found by id lists {@code dev.mediaflow.tck.InMemoryProvider} in
 * its own {@code src/test/resources/META-INF/services/dev.mediaflow.spi.MediaProvider}, or passes
 * an instance to {@code MediaClient.builder().provider(...)}.
 *
 * <p>A job is queued on its first status read, running on the next, and ends after {@code
 * media.<instance>.polls} reads (default 3): outputs whose save key contains "fail" fail, the
 * others succeed. It cannot decode blind watermarks and notifies URLs only, so tests can see
 * capabilities at work. Counts submissions in {@link #SUBMITS}. Thread-safe; jobs live as long as
 * the class.
 */
public final class InMemoryProvider implements MediaProvider {
  /** How many jobs were submitted, by every instance. */
  public static final AtomicInteger SUBMITS = new AtomicInteger();

  private static final Map<String, Sim> JOBS = new ConcurrentHashMap<>();
  private static final AtomicInteger IDS = new AtomicInteger();

  private record Sim(Pipeline pipeline, int polls, AtomicInteger reads, boolean cancelled) {}

  @Override
  public String id() {
    return "memory";
  }

  @Override
  public List<Setting> settings() {
    return List.of(
        Setting.builder("polls")
            .type(Setting.Type.INTEGER)
            .defaultValue("3")
            .description("status reads until a job ends")
            .build(),
        Setting.builder("token")
            .secret()
            .description("a credential, to test that secrets stay hidden")
            .build());
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    return new Client(context.config().getInt("polls", 3));
  }

  static final class Client implements ProviderClient {
    private final int polls;

    Client(int polls) {
      this.polls = polls;
    }

    @Override
    public String providerId() {
      return "memory";
    }

    @Override
    public Capabilities capabilities() {
      return Capabilities.builder("memory")
          .operations(
              Transcode.class,
              AudioTranscode.class,
              Snapshot.class,
              Animation.class,
              DocumentConversion.class,
              ImageResize.class,
              Watermark.class,
              Concat.class,
              RawOperation.class)
          .containers(EnumSet.allOf(Container.class))
          .videoCodecs(EnumSet.allOf(VideoCodec.class))
          .audioCodecs(EnumSet.allOf(AudioCodec.class))
          .audioFormats(EnumSet.allOf(AudioFormat.class))
          .imageFormats(EnumSet.allOf(ImageFormat.class))
          .animationFormats(EnumSet.allOf(AnimationFormat.class))
          .documentTargets(EnumSet.allOf(DocumentTarget.class))
          .fitModes(EnumSet.allOf(FitMode.class))
          .options(Capabilities.OPTIONS)
          .notifyUrl(true)
          .build();
    }

    @Override
    public List<VendorRequest> render(Pipeline pipeline) {
      List<VendorRequest> out = new ArrayList<>();
      for (int i = 0; i < pipeline.outputs().size(); i++) {
        Output o = pipeline.outputs().get(i);
        String chain = o.steps().stream().map(Operation::type).collect(Collectors.joining("|"));
        String save = o.saveAs().map(s -> "|save:" + s).orElse("");
        out.add(
            new VendorRequest(
                chain + save,
                "POST",
                "memory://jobs",
                Map.of("X-Memory", "1"),
                PipelineSpec.toCompactJson(pipeline),
                List.of(i)));
      }
      return out;
    }

    @Override
    public JobId submit(Pipeline pipeline) {
      SUBMITS.incrementAndGet();
      String id = "m" + IDS.incrementAndGet();
      JOBS.put(id, new Sim(pipeline, polls, new AtomicInteger(), false));
      return JobId.of("memory", id);
    }

    @Override
    public JobStatus status(JobId id) {
      Sim sim = JOBS.get(id.vendorId());
      if (sim == null) {
        throw new MediaServiceException(
            "memory", 404, "NoSuchJob", "r-" + id.vendorId(), "no job " + id.vendorId());
      }
      int n = sim.reads().incrementAndGet();
      List<OutputResult> results = new ArrayList<>();
      List<Output> outs = sim.pipeline().outputs();
      for (int i = 0; i < outs.size(); i++) {
        JobState s;
        if (sim.cancelled()) {
          s = JobState.CANCELLED;
        } else if (n == 1) {
          s = JobState.QUEUED;
        } else if (n < sim.polls()) {
          s = JobState.RUNNING;
        } else {
          s =
              outs.get(i).saveAs().map(o -> o.key().contains("fail")).orElse(false)
                  ? JobState.FAILED
                  : JobState.SUCCEEDED;
        }
        results.add(
            new OutputResult(
                i,
                s,
                s == JobState.SUCCEEDED
                    ? outs.get(i).saveAs().map(List::of).orElse(List.of())
                    : List.of(),
                s == JobState.FAILED ? "E42" : "",
                s == JobState.FAILED ? "simulated failure" : ""));
      }
      JobState state = JobState.combine(results.stream().map(OutputResult::state).toList());
      JobStatus.Builder b =
          JobStatus.builder(id, state).outputs(results).detail("trackedBy", "memory");
      if (!state.isTerminal()) {
        b.progress(100 * (n - 1) / sim.polls());
      }
      return b.build();
    }

    @Override
    public void cancel(JobId id) {
      JOBS.computeIfPresent(
          id.vendorId(), (k, s) -> new Sim(s.pipeline(), s.polls(), s.reads(), true));
    }
  }
}
