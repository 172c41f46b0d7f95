package dev.mediaflow.spi;

/**
 * A part the vendor stored.
 *
 * @param number the part number, from 1
 * @param size its length in bytes
 * @param etag the vendor's ETag for it, sent back on completion
 * @param digest the provider's digest of the part ({@link PartHasher}), or null when unknown (a
 *     part only listed by the vendor)
 */
public record UploadedPart(int number, long size, String etag, String digest) {}
