import { parse, type CsvError, type Info } from 'csv-parse';
import { pipeline, type Readable } from 'node:stream';
import { InputFileError } from '../errors/input-file-error';
import { DEFAULT_KEY_FIELD, toItemCandidate, type FileRecord, type ItemMappingOptions } from './item-candidate';

/**
 * Reads a CSV file with a header row as items, streaming: one record at a time,
 * with the file line it starts on. Columns `itemId`, `key`, `type`, `batchId`,
 * `payload` (a JSON object) have their own meaning; every other column becomes a
 * payload field (a string). An empty cell means "no value". A row with the wrong
 * number of fields, broken quoting, or an unusable payload cell is yielded as an
 * error for its line; the next rows are still read.
 *
 * @throws InputFileError when the file is empty or the header lacks the key or
 * type column (checked before the first item is yielded, so nothing is sent)
 */
export async function* readCsvFile(input: Readable, options: ItemMappingOptions = {}): AsyncGenerator<FileRecord> {
  const skipped: FileRecord[] = [];
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return undefined;
      const line = typeof error.lines === 'number' ? error.lines : 0;
      // One broken quote can be reported more than once for the same line.
      if (skipped.at(-1)?.line !== line) skipped.push({ line, error: `not valid CSV: ${error.message}` });
      return undefined;
    },
  });
  // Errors of either stream surface through the loop below; stopping early closes the file.
  pipeline(input, parser, () => undefined);

  let header: string[] | undefined;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
    yield* drain(skipped);
    // `info.lines` is the line a record ends on; quoted newlines make it start earlier.
    const line = info.lines - record.reduce((count, field) => count + newlines(field), 0);
    if (!header) {
      header = checkHeader(record, options);
      continue;
    }
    if (record.length !== header.length) {
      yield { line, error: `expected ${header.length} fields as in the header, got ${record.length}` };
      continue;
    }
    const fields = Object.fromEntries(header.map((name, index) => [name, record[index]]));
    const candidate = toItemCandidate(fields, options, true);
    yield typeof candidate === 'string' ? { line, error: candidate } : { line, submission: candidate };
  }
  yield* drain(skipped);
  if (!header) throw new InputFileError('the file is empty: a CSV file needs a header row naming its columns');
}

/** Column names, trimmed; refuses a header the items could not be built from. */
function checkHeader(record: string[], options: ItemMappingOptions): string[] {
  const names = record.map((name) => name.trim());
  const columns = names.join(', ');
  names.forEach((name, index) => {
    if (name === '') throw new InputFileError(`column ${index + 1} of the header has no name (header: ${columns})`);
    if (names.indexOf(name) !== index) throw new InputFileError(`column "${name}" appears twice in the header`);
  });
  const keyField = options.keyField ?? DEFAULT_KEY_FIELD;
  // A key other than `key` may also come from inside the payload column.
  const keyFromPayload = keyField !== DEFAULT_KEY_FIELD && names.includes('payload');
  if (!names.includes(keyField) && !keyFromPayload) {
    const hint = options.keyField ? '' : '; use --key-column to take the key from another column';
    throw new InputFileError(`the header has no "${keyField}" column (columns: ${columns})${hint}`);
  }
  if (!names.includes('type') && options.defaultType === undefined) {
    throw new InputFileError(`the header has no "type" column (columns: ${columns}); give the items' type with --type`);
  }
  return names;
}

function* drain(queue: FileRecord[]): Generator<FileRecord> {
  while (queue.length > 0) yield queue.shift() as FileRecord;
}

function newlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}
