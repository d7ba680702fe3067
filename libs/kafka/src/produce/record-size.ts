/**
 * Bytes of a v2 record batch without its records (base offset, length, leader
 * epoch, magic, CRC, attributes, offsets, timestamps, producer id and epoch,
 * base sequence, record count).
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/** Longest a varint field of a record can be (a 32-bit zig-zag varint). */
const VARINT_MAX_BYTES = 5;

/**
 * An upper bound of the bytes one record takes inside an uncompressed v2
 * record batch: its length, attributes, timestamp and offset deltas, key,
 * value and headers, each length-prefixed by a varint. The broker's
 * `max.message.bytes` limits a whole batch, so this plus
 * {@link RECORD_BATCH_OVERHEAD_BYTES} is what one record alone needs.
 */
export function recordBytes(key: Buffer | null, value: Buffer | null, headers: Readonly<Record<string, string>>): number {
  // length + attributes (1) + timestamp delta (a varlong: up to 10) + offset delta + key length + value length + header count
  let bytes = VARINT_MAX_BYTES + 1 + 10 + VARINT_MAX_BYTES * 4 + (key?.length ?? 0) + (value?.length ?? 0);
  for (const [name, headerValue] of Object.entries(headers)) {
    bytes += VARINT_MAX_BYTES * 2 + Buffer.byteLength(name) + Buffer.byteLength(headerValue);
  }
  return bytes;
}
