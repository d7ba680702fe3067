import { createReadStream } from 'node:fs';
import type { FileFormat } from './file-format';

/**
 * About how many items the file holds, for the progress bar's total and ETA:
 * its line count (less the CSV header). One fast pass over the bytes, nothing
 * parsed; quoted newlines and blank lines make it an estimate, never a limit.
 */
export async function expectedItemCount(path: string, format: FileFormat): Promise<number> {
  let newlines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, index + 1)) newlines += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1] as number;
  }
  const lines = newlines + (last === 0x0a ? 0 : 1);
  return Math.max(0, format === 'csv' ? lines - 1 : lines);
}
