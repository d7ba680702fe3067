import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { UsageError } from '../errors/usage-error';
import { readCsvFile } from './csv-file-reader';
import type { FileRecord, ItemMappingOptions } from './item-candidate';
import { readJsonLinesFile } from './jsonl-file-reader';

export const FILE_FORMATS = ['csv', 'jsonl'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

const EXTENSIONS: Readonly<Record<string, FileFormat>> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** The format given with `--format`, else the one the extension says. */
export function detectFileFormat(path: string, given: string | undefined): FileFormat {
  if (given !== undefined) {
    const format = given.toLowerCase();
    if ((FILE_FORMATS as readonly string[]).includes(format)) return format as FileFormat;
    throw new UsageError(`--format must be one of ${FILE_FORMATS.join(', ')}, got "${given}"`, 'workpipe submit --help');
  }
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format) {
    throw new UsageError(
      `cannot tell the format of "${path}" from its extension (.csv, .jsonl, .ndjson): give --format csv or --format jsonl`,
      'workpipe submit --help',
    );
  }
  return format;
}

/** Streams the file's records in the given format. */
export function readItemFile(path: string, format: FileFormat, options: ItemMappingOptions): AsyncGenerator<FileRecord> {
  const input = createReadStream(path);
  return format === 'csv' ? readCsvFile(input, options) : readJsonLinesFile(input, options);
}
