package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.internal.ProviderRegistry;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.ProviderOptions;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.spi.Setting;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every provider passes: extend it in the provider's tests.
 *
 * <p>It checks that ServiceLoader finds the provider by id, that every operation type either
 * renders or is rejected with {@link UnsupportedMediaOperationException} (never another error),
 * that capabilities and rendering agree, that a dry run carries no secret, and that settings hide
 * secrets.
 *
 * <pre>{@code
 * class AcmeProviderContractTest extends MediaProviderContractTest {
 *   protected MediaProvider provider() { return new AcmeProvider(); }
 *   protected Map<String, String> settings() { return Map.of("apiKey", "k", "secret", "s"); }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class MediaProviderContractTest {
  /** Returns a new instance of the provider under test. */
  protected abstract MediaProvider provider();

  /**
   * Returns valid settings for the provider, including a value for every setting it declares
   * secret.
   */
  protected abstract Map<String, String> settings();

  protected ProviderClient client() {
    ProviderConfig config =
        ProviderConfig.of(provider().id(), settings()).declare(provider().settings());
    return provider()
        .create(
            new ProviderContext(
                config,
                dev.mediaflow.internal.SharedHttp.client(),
                Clock.systemUTC(),
                RetryPolicy.none()));
  }

  /** Returns one sample of every operation type, keyed by class. */
  protected Map<Class<? extends Operation>, Operation> samples() {
    Map<Class<? extends Operation>, Operation> m = new LinkedHashMap<>();
    m.put(Transcode.class, Transcode.builder().container(Container.MP4).build());
    m.put(AudioTranscode.class, AudioTranscode.to(AudioFormat.MP3));
    m.put(Snapshot.class, Snapshot.at(Duration.ofSeconds(1)));
    m.put(Animation.class, Animation.builder().format(AnimationFormat.GIF).build());
    m.put(DocumentConversion.class, DocumentConversion.to(DocumentTarget.PDF));
    m.put(ImageResize.class, ImageResize.builder().width(100).build());
    m.put(Watermark.class, Watermark.text("mediaflow").build());
    m.put(
        Concat.class,
        Concat.builder()
            .inputs(List.of(MediaObject.of("media", "b.mp4")))
            .encoding(Transcode.builder().container(Container.MP4).build())
            .build());
    m.put(BlindWatermarkDecode.class, BlindWatermarkDecode.defaults());
    m.put(RawOperation.class, RawOperation.of(provider().id(), "raw-value"));
    return m;
  }

  private static Pipeline pipelineOf(Operation op) {
    Output out =
        op instanceof BlindWatermarkDecode
            ? Output.unsaved(List.of(op))
            : Output.of(List.of(op), MediaObject.of("media", "out/result"));
    return Pipeline.of(MediaObject.of("media", "in/source.mov"), List.of(out), null, null);
  }

  @Test
  public void serviceLoader_findsTheProviderById() {
    MediaProvider p = provider();
    assertThat(ProviderRegistry.fromClassPath().get(p.id())).isInstanceOf(p.getClass());
    assertThat(p.id()).matches("[a-z][a-z0-9-]*");
  }

  @Test
  public void samples_coverEveryOperationType() {
    assertThat(samples().keySet()).containsExactlyInAnyOrder(classes());
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Operation>[] classes() {
    return Arrays.stream(Operation.class.getPermittedSubclasses()).toArray(Class[]::new);
  }

  @Test
  public void everyOperation_rendersOrIsRejectedAsUnsupported_consistentlyWithCapabilities() {
    ProviderClient client = client();
    for (Operation op : samples().values()) {
      Pipeline p = pipelineOf(op);
      boolean capable;
      try {
        client.capabilities().check(p);
        capable = true;
      } catch (UnsupportedMediaOperationException e) {
        assertThat(e.providerId()).isEqualTo(provider().id());
        assertThat(e.operation()).isEqualTo(op.type());
        capable = false;
      }
      if (capable) {
        assertThatCode(
                () -> {
                  List<VendorRequest> requests = client.render(p);
                  assertThat(requests).as(op.type()).isNotEmpty();
                  assertThat(requests.stream().flatMap(r -> r.outputs().stream()).distinct())
                      .containsExactly(0);
                })
            .as(op.type())
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  public void dryRun_andSettings_carryNoSecret() {
    ProviderClient client = client();
    List<Setting> declared = provider().settings();
    List<String> secrets =
        settings().entrySet().stream()
            .filter(e -> declared.stream().anyMatch(s -> s.isSecret() && s.matches(e.getKey())))
            .map(Map.Entry::getValue)
            .toList();
    assertThat(secrets)
        .as("the sample settings give every secret setting a value")
        .hasSize((int) declared.stream().filter(Setting::isSecret).count());
    List<VendorRequest> requests = client.render(pipelineOf(samples().get(Transcode.class)));
    for (String secret : secrets) {
      for (VendorRequest r : requests) {
        assertThat(r.toString()).doesNotContain(secret);
      }
      assertThat(client.toString()).doesNotContain(secret);
      assertThat(ProviderConfig.of(provider().id(), settings()).toString()).doesNotContain(secret);
      assertThat(ProviderConfig.of(provider().id(), settings()).declare(declared).toString())
          .doesNotContain(secret);
    }
  }

  @Test
  public void rawOperationForAnotherProvider_isRejected() {
    Pipeline p = pipelineOf(RawOperation.of("some-other-provider", "x"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client().capabilities().check(p))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("provider");
  }

  /** Returns a pipeline of the first sample operation the provider can express. */
  private Pipeline supportedPipeline(ProviderClient client) {
    for (Operation op : samples().values()) {
      Pipeline p = pipelineOf(op);
      try {
        client.capabilities().check(p);
        return p;
      } catch (UnsupportedMediaOperationException e) {
        // try the next sample
      }
    }
    throw new AssertionError("the provider supports none of the sample operations");
  }

  private static Pipeline with(Pipeline p, Notify notify, ProviderOptions options) {
    return Pipeline.of(p.source(), p.outputs(), notify, options);
  }

  @Test
  public void everyAllowedOption_changesTheRenderedRequest_andEveryOtherIsRefused() {
    ProviderClient client = client();
    Pipeline base = supportedPipeline(client);
    Map<String, ProviderOptions> samples =
        Map.of(
            Capabilities.QUEUE, ProviderOptions.builder().queue("mediaflow-queue").build(),
            Capabilities.FORCE, ProviderOptions.builder().force(true).build(),
            Capabilities.IDLE_TIME, ProviderOptions.builder().idleTime(true).build());
    assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(Capabilities.OPTIONS);
    for (Map.Entry<String, ProviderOptions> e : samples.entrySet()) {
      Pipeline p = with(base, null, e.getValue());
      if (client.capabilities().options().contains(e.getKey())) {
        assertThat(client.render(p)).as("option " + e.getKey()).isNotEqualTo(client.render(base));
      } else {
        assertThatThrownBy(() -> client.capabilities().check(p))
            .as("option " + e.getKey())
            .isInstanceOf(UnsupportedMediaOperationException.class)
            .hasMessageContaining("options." + e.getKey());
      }
    }
  }

  @Test
  public void everyAllowedNotificationTarget_changesTheRenderedRequest_andEveryOtherIsRefused() {
    ProviderClient client = client();
    Pipeline base = supportedPipeline(client);
    Pipeline url = with(base, Notify.url("https://hooks.example.com/mediaflow"), null);
    Pipeline topic = with(base, Notify.topic("mediaflow-topic"), null);
    for (Pipeline p : List.of(url, topic)) {
      boolean allowed =
          p == url ? client.capabilities().notifiesUrl() : client.capabilities().notifiesTopic();
      if (allowed) {
        assertThat(client.render(p))
            .as(p.notification().toString())
            .isNotEqualTo(client.render(base));
      } else {
        assertThatThrownBy(() -> client.capabilities().check(p))
            .as(p.notification().toString())
            .isInstanceOf(UnsupportedMediaOperationException.class)
            .hasMessageContaining("notify");
      }
    }
  }

  @Test
  public void settings_areDeclaredOnce_withDescriptions() {
    List<Setting> declared = provider().settings();
    assertThat(declared).isNotEmpty();
    assertThat(declared.stream().map(s -> Setting.canonical(s.key()))).doesNotHaveDuplicates();
    for (Setting s : declared) {
      assertThat(s.description()).as(s.key()).isNotBlank();
      assertThat(s.isRequired() && s.defaultValue().isPresent())
          .as(s.key() + ": required with a default")
          .isFalse();
    }
  }

  @Test
  public void settings_inKebabCase_areTheSameSettings() {
    Map<String, String> kebab = new LinkedHashMap<>();
    settings()
        .forEach(
            (k, v) ->
                kebab.put(k.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT), v));
    ProviderConfig config =
        ProviderConfig.of(provider().id(), kebab).declare(provider().settings());
    settings().forEach((k, v) -> assertThat(config.get(k)).as(k).contains(v));
  }

  @Test
  public void anUnknownSetting_isRefused_namingTheKey() {
    Map<String, String> withTypo = new LinkedHashMap<>(settings());
    withTypo.put("noSuchSetting", "1");
    assertThatThrownBy(
            () -> ProviderConfig.of(provider().id(), withTypo).declare(provider().settings()))
        .isInstanceOf(dev.mediaflow.MediaConfigException.class)
        .hasMessageContaining("media." + provider().id() + ".noSuchSetting is not a setting");
  }

  @Test
  public void mediaConfigToString_showsDeclaredValues_andHidesSecrets() {
    Map<String, String> full = new LinkedHashMap<>();
    settings().forEach((k, v) -> full.put("media." + provider().id() + "." + k, v));
    String shown = dev.mediaflow.MediaConfig.fromMap(full).toString();
    settings()
        .forEach(
            (k, v) -> {
              boolean secret =
                  provider().settings().stream().anyMatch(s -> s.matches(k) && s.isSecret());
              if (secret) {
                assertThat(shown).as(k).doesNotContain(v);
              } else {
                assertThat(shown).as(k).contains("media." + provider().id() + "." + k + "=" + v);
              }
            });
  }
}
