import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';

/** Produce compression the bus can use (`none` sends batches as they are). */
export type Compression = 'lz4' | 'none';

let registered = false;

/**
 * Registers the LZ4 codec with kafkajs (once per process): Kafka's LZ4 is the standard
 * LZ4 frame format, which lz4-napi (Rust lz4_flex, prebuilt binaries) reads and writes.
 * The synchronous calls are used because produce batches are small: a hop to the libuv
 * thread pool would cost more than compressing them.
 */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: (encoder: { buffer: Buffer }) => Promise.resolve(compressFrameSync(encoder.buffer)),
    decompress: (buffer: Buffer) => Promise.resolve(decompressFrameSync(buffer)),
  });
}

/** The kafkajs compression type for a {@link Compression}. */
export function compressionType(compression: Compression): CompressionTypes {
  return compression === 'lz4' ? CompressionTypes.LZ4 : CompressionTypes.None;
}
