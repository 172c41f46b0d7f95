/**
 * Pipelines: a source {@link dev.mediaflow.pipeline.MediaObject}, one or more outputs (each a chain
 * of operations and the object it is saved as), an optional notification target and provider
 * options; their JSON form ({@link dev.mediaflow.pipeline.PipelineSpec}, documented in {@code
 * docs/pipeline-spec.md}); and the {@link dev.mediaflow.pipeline.VendorRequest} a dry run shows.
 *
 * <p><b>Tier: public API.</b>
 *
 * <p>Every type is immutable and thread-safe, except the builders. Invalid values are rejected when
 * built, with a {@link dev.mediaflow.MediaValidationException} naming the field.
 */
package dev.mediaflow.pipeline;
