import type { EncodedRecord } from './encoded-record';
import { RECORD_BATCH_OVERHEAD_BYTES } from './record-size';

/**
 * Splits records, in order, into produce requests whose records add up to at
 * most `maxBatchBytes` per topic, so no partition's record batch can exceed
 * what its topic accepts (a request holds one batch per partition, never more
 * than all its records). Every record must fit alone (checked when encoded).
 */
export function requestChunks(
  records: readonly EncodedRecord[],
  maxBatchBytesOf: (topic: string) => number,
): EncodedRecord[][] {
  const chunks: EncodedRecord[][] = [];
  let current: EncodedRecord[] = [];
  let bytesPerTopic = new Map<string, number>();
  for (const record of records) {
    const limit = maxBatchBytesOf(record.topic) - RECORD_BATCH_OVERHEAD_BYTES;
    const used = bytesPerTopic.get(record.topic) ?? 0;
    if (current.length > 0 && used + record.bytes > limit) {
      chunks.push(current);
      current = [];
      bytesPerTopic = new Map();
    }
    current.push(record);
    bytesPerTopic.set(record.topic, (bytesPerTopic.get(record.topic) ?? 0) + record.bytes);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
