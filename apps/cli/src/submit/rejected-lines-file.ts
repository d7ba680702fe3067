import { stringify, type Stringifier } from 'csv-stringify';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { RejectedLine } from './line-outcomes';

/** `--rejected-out`: every rejected line as CSV `line,itemId,reason`, written as the batches are answered. */
export class RejectedLinesFile {
  private constructor(
    private readonly csv: Stringifier,
    private readonly out: WriteStream,
  ) {}

  /** Creates (or truncates) the file; rejects if it cannot be written. */
  static async open(path: string): Promise<RejectedLinesFile> {
    const out = createWriteStream(path);
    await once(out, 'open');
    const csv = stringify({ header: true, columns: ['line', 'itemId', 'reason'] });
    csv.pipe(out);
    return new RejectedLinesFile(csv, out);
  }

  async write(rows: readonly RejectedLine[]): Promise<void> {
    for (const { line, itemId, reason } of rows) {
      if (!this.csv.write({ line, itemId: itemId ?? '', reason })) await once(this.csv, 'drain');
    }
  }

  async close(): Promise<void> {
    this.csv.end();
    await finished(this.out);
  }
}
