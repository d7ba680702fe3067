import type { Readable } from 'node:stream';
import { toItemCandidate, type FileRecord, type ItemMappingOptions } from './item-candidate';

/**
 * Reads a JSON-lines file as items, streaming: one JSON object per line, in the
 * shape of a `POST /v1/batches` item (`itemId`, `key`, `type`, `batchId`,
 * `payload`); any other field is added to the payload. Blank lines are skipped;
 * a line that is not a JSON object is yielded as an error for its line number.
 */
export async function* readJsonLinesFile(
  input: Readable,
  options: ItemMappingOptions = {},
): AsyncGenerator<FileRecord> {
  for await (const { line, text } of splitLines(input)) {
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield { line, error: `not valid JSON: ${(error as Error).message}` };
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yield { line, error: `not a JSON object: ${Array.isArray(parsed) ? 'an array' : typeof parsed}` };
      continue;
    }
    const candidate = toItemCandidate(parsed as Record<string, unknown>, options, false);
    yield typeof candidate === 'string' ? { line, error: candidate } : { line, submission: candidate };
  }
}

/**
 * The lines of a text stream with their 1-based numbers, without reading ahead
 * more than one chunk: the stream is only pulled as lines are consumed.
 * Accepts `\n` and `\r\n` endings and drops a leading byte-order mark.
 */
export async function* splitLines(input: Readable): AsyncGenerator<{ line: number; text: string }> {
  input.setEncoding('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of input as AsyncIterable<string>) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      line += 1;
      yield { line, text: clean(pending.slice(start, end), line) };
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  if (pending.length > 0) {
    line += 1;
    yield { line, text: clean(pending, line) };
  }
}

function clean(text: string, line: number): string {
  const withoutCr = text.endsWith('\r') ? text.slice(0, -1) : text;
  return line === 1 && withoutCr.startsWith('\uFEFF') ? withoutCr.slice(1) : withoutCr;
}
