package dev.mediaflow.tck;

import dev.mediaflow.pipeline.MediaObject;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@link WireContractTest} needs from one provider: its fake service and the vendor's own
 * answers, which the contract then expects.
 *
 * <p>The fake must fail every output that transcodes to FLV, with a message containing {@value
 * WireContractTest#FAILURE_MESSAGE}, and store results in the bucket {@value
 * WireContractTest#BUCKET}.
 */
public interface WireFixture {
  /** Returns the fake service the provider's client is pointed at. */
  FakeService service();

  /** Returns whether a request line is a submission of a job on {@code source}. */
  Predicate<String> submission(MediaObject source);

  /** Returns whether a request line is a job status read. */
  Predicate<String> statusRead();

  /** Returns setting overrides that keep the access key but give a wrong secret. */
  Map<String, String> wrongSecret();

  /** Returns the HTTP status the vendor answers a bad signature with. */
  int badSignatureStatus();

  /** Returns the error code the vendor answers a bad signature with. */
  String badSignatureCode();

  /**
   * Returns the vendor code an output failing with {@value WireContractTest#FAILURE_MESSAGE} has.
   */
  String failedOutputCode();

  /** Returns the error code the vendor's 500 answer carries. */
  String serverErrorCode();
}
