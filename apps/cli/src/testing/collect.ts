import { Readable } from 'node:stream';
import type { FileRecord } from '../submit/item-candidate';

/** A readable stream of these chunks, as a file would deliver them. */
export function streamOf(...chunks: string[]): Readable {
  return Readable.from(chunks.map((chunk) => Buffer.from(chunk, 'utf8')));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** Records with plain-prototype payloads, so `toEqual` diffs read well. */
export function plain(records: FileRecord[]): unknown[] {
  return records.map((record) =>
    record.submission ? { ...record, submission: { ...record.submission, payload: { ...record.submission.payload } } } : record,
  );
}
