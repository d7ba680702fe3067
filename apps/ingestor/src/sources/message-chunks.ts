import type { KafkaMessage } from 'kafkajs';

export interface ChunkLimits {
  /** Most messages submitted at once; default {@link MAX_CHUNK_MESSAGES}. */
  maxMessages: number;
  /**
   * Most key and value bytes submitted at once, in bytes; default {@link MAX_CHUNK_BYTES}.
   * A single larger message forms a chunk of its own.
   */
  maxBytes: number;
}

/**
 * Bounds of one submission: a fetched batch can hold thousands of messages, and
 * all of a submission's work items go to Kafka in one produce request, which
 * must stay under the broker's 1 MiB `message.max.bytes` (work items are larger
 * than small source events).
 */
export const MAX_CHUNK_MESSAGES = 500;
export const MAX_CHUNK_BYTES = 256 * 1024;

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { maxMessages: MAX_CHUNK_MESSAGES, maxBytes: MAX_CHUNK_BYTES };

/** Splits a batch's messages, in order, into chunks within the limits; never an empty chunk. */
export function chunkMessages(
  messages: readonly KafkaMessage[],
  limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
): KafkaMessage[][] {
  const chunks: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = (message.key?.length ?? 0) + (message.value?.length ?? 0);
    if (current.length > 0 && (current.length >= limits.maxMessages || bytes + size > limits.maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
