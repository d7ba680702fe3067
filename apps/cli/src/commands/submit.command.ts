import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { IdentifierSchema, MAX_BATCH_ITEMS, WorkTypeSchema } from '@workpipe/contracts';
import { UsageError } from '../errors/usage-error';
import { EXIT_CODES_HELP } from '../exit-codes';
import { generateBatchId } from '../submit/batch-id';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../submit/batch-sender';
import { detectFileFormat } from '../submit/file-format';
import { DEFAULT_RETRY_BACKOFF } from '../submit/retry-backoff';
import { submitFile, type SubmitFileOptions } from '../submit/submit-file';
import type { CliCommand, CommandInvocation } from './cli-command';

/** Items per request unless `--batch-size` says otherwise. */
export const DEFAULT_BATCH_SIZE = 500;

/** The most `--max-attempts` allows: beyond this an outage is better handled by re-running later. */
const MAX_ATTEMPTS_LIMIT = 20;

const HINT = 'workpipe submit --help';

interface SubmitFlags {
  format?: string;
  type?: string;
  keyColumn?: string;
  batchId?: string;
  batchSize?: string;
  rejectedOut?: string;
  maxAttempts?: string;
  requestTimeout?: string;
}

const FILE_HELP = `
Input files:
  CSV (.csv) needs a header row. Columns itemId (optional), key, type, batchId
  (optional, must equal the file's batch id) and payload (optional, a JSON
  object) fill those item fields; every other column becomes a payload field
  with the cell's text. An empty cell means "no value". JSON lines (.jsonl,
  .ndjson): one object per line, in the shape of an item of POST /v1/batches;
  any other field is added to the payload too. Without itemId, the ingestor
  derives the id from type, key and payload, so a re-sent item is a duplicate.

  A line that cannot be read (bad JSON, wrong number of CSV fields, bad quoting)
  is rejected with its line number and never sent. Items are validated by the
  ingestor; its rejections are reported by file line too.

Reliability:
  Each request is retried on 503, other transient 5xx, 429 and network errors,
  with exponential backoff (1 s, 2 s, 4 s, ...) honouring Retry-After. If the
  ingestor stays unavailable the command stops with exit code 3 and tells how
  many items were accepted. Re-running the same command is then safe: the
  ingestor de-duplicates, so items already accepted come back as duplicates.

Examples:
  $ workpipe submit portfolios.csv --type portfolio-report --key-column portfolioId
  $ API_KEY=... workpipe submit --ingestor-url http://ingestor:3000 items.jsonl --rejected-out rejected.csv
  $ workpipe submit export.txt --format jsonl --batch-id nightly-2025-03-14 --batch-size 1000

${EXIT_CODES_HELP}
`;

export const submitCommand: CliCommand = {
  name: 'submit',

  define(command: Command): void {
    command
      .description('Submit the work items of a CSV or JSON-lines file to the ingestor, in batches, with progress and a summary.')
      .argument('<file>', 'CSV file with a header row (.csv) or JSON-lines file (.jsonl, .ndjson)')
      .option('--format <format>', 'file format, csv or jsonl (default: from the file extension)')
      .option('--type <type>', 'type of the items that have none (no type column or field, or an empty cell)')
      .option(
        '--key-column <name>',
        'take each item\'s key from this column or field instead of "key", e.g. portfolioId; it also stays in the payload',
      )
      .option('--batch-id <id>', 'batch id for every item of the file (default: generated and printed)')
      .option('--batch-size <n>', `items per request, 1 to ${MAX_BATCH_ITEMS} (default: ${DEFAULT_BATCH_SIZE})`)
      .option('--rejected-out <file>', 'write every rejected line to this CSV file (columns line, itemId, reason)')
      .option(
        '--max-attempts <n>',
        `attempts per request while the ingestor is unavailable, 1 to ${MAX_ATTEMPTS_LIMIT} (default: ${DEFAULT_RETRY_BACKOFF.maxAttempts})`,
      )
      .option(
        '--request-timeout <ms>',
        `longest wait for one answer, in milliseconds; a timeout is retried (default: ${DEFAULT_REQUEST_TIMEOUT_MS})`,
      )
      .addHelpText('after', FILE_HELP);
  },

  async run({ args, options, globals, io }: CommandInvocation) {
    const submitOptions = await parseSubmitOptions(args[0] as string, options as SubmitFlags, io.now, io.random);
    return submitFile(submitOptions, globals, io);
  },
};

/** Validates the flags of `submit`; every mistake is a {@link UsageError} naming the flag (exit 2). */
export async function parseSubmitOptions(
  file: string,
  flags: SubmitFlags,
  now: () => number,
  random: () => number,
): Promise<SubmitFileOptions> {
  const format = detectFileFormat(file, flags.format);
  if (flags.type !== undefined) checkWith(WorkTypeSchema, flags.type, '--type');
  if (flags.batchId !== undefined) checkWith(IdentifierSchema, flags.batchId, '--batch-id');
  if (flags.keyColumn !== undefined && flags.keyColumn.trim() === '') {
    throw new UsageError('--key-column must name a column', HINT);
  }
  const batchSize = integerOption(flags.batchSize, '--batch-size', DEFAULT_BATCH_SIZE, 1, MAX_BATCH_ITEMS);
  const requestTimeoutMs = integerOption(
    flags.requestTimeout,
    '--request-timeout',
    DEFAULT_REQUEST_TIMEOUT_MS,
    100,
    3_600_000,
  );
  const maxAttempts = integerOption(
    flags.maxAttempts,
    '--max-attempts',
    DEFAULT_RETRY_BACKOFF.maxAttempts,
    1,
    MAX_ATTEMPTS_LIMIT,
  );
  await checkReadableFile(file);
  return {
    file,
    format,
    mapping: {
      ...(flags.type === undefined ? {} : { defaultType: flags.type }),
      ...(flags.keyColumn === undefined ? {} : { keyField: flags.keyColumn.trim() }),
    },
    batchId: flags.batchId ?? generateBatchId(now(), random),
    batchIdGenerated: flags.batchId === undefined,
    batchSize,
    ...(flags.rejectedOut === undefined ? {} : { rejectedOut: flags.rejectedOut }),
    requestTimeoutMs,
    retry: { ...DEFAULT_RETRY_BACKOFF, maxAttempts },
  };
}

function integerOption(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`, HINT);
  }
  return parsed;
}

function checkWith(schema: typeof IdentifierSchema | typeof WorkTypeSchema, value: string, flag: string): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(`${flag} "${value}" ${parsed.error.issues.map((issue) => issue.message).join('; ')}`, HINT);
  }
}

async function checkReadableFile(file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, HINT);
  }
  if (!isFile) throw new UsageError(`${file} is not a file`, HINT);
}
