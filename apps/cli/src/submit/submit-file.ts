import type { CliIo } from '../cli-io';
import { ApiKeyRejectedError } from '../errors/api-key-rejected-error';
import { InputFileError } from '../errors/input-file-error';
import { IngestorUnavailableError } from '../errors/ingestor-unavailable-error';
import { UnexpectedResponseError } from '../errors/unexpected-response-error';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import type { GlobalOptions } from '../global-options';
import { BatchSender } from './batch-sender';
import { expectedItemCount } from './expected-item-count';
import { batchRecords } from './file-batches';
import { readItemFile, type FileFormat } from './file-format';
import type { ItemMappingOptions } from './item-candidate';
import { toLineOutcomes } from './line-outcomes';
import { PlainProgressLog } from './progress/plain-progress-log';
import type { SubmitProgress } from './progress/submit-progress';
import { TtyProgressBar } from './progress/tty-progress-bar';
import { RejectedLinesFile } from './rejected-lines-file';
import type { RetryBackoffOptions } from './retry-backoff';
import { formatSummary } from './submission-summary';
import { SubmissionTally } from './submission-tally';

/** A validated `submit` invocation. */
export interface SubmitFileOptions {
  /** The file, as given on the command line. */
  file: string;
  format: FileFormat;
  /** `--type` and `--key-column`. */
  mapping: ItemMappingOptions;
  /** Batch id of every item of the file. */
  batchId: string;
  /** True when the CLI made the batch id up (it is then printed first). */
  batchIdGenerated: boolean;
  /** Items per request, 1..1000. */
  batchSize: number;
  /** Where to write every rejected line as CSV, if anywhere. */
  rejectedOut?: string;
  /** Longest one request may take, in milliseconds. */
  requestTimeoutMs: number;
  retry: RetryBackoffOptions;
}

/**
 * Streams the file through the ingestor batch by batch, reports progress on
 * stderr and the summary on stdout, and resolves with the exit code. Batches
 * go one at a time: the ingestor acknowledges each only once it is in Kafka,
 * and the next one is read from the file only then, so memory stays flat.
 */
export async function submitFile(options: SubmitFileOptions, globals: GlobalOptions, io: CliIo): Promise<ExitCode> {
  const sender = new BatchSender({
    ingestorUrl: globals.ingestorUrl,
    apiKey: globals.apiKey,
    requestTimeoutMs: options.requestTimeoutMs,
    retry: options.retry,
    fetch: io.fetch,
    sleep: io.sleep,
    now: io.now,
    random: io.random,
  });
  const expected = await expectedItemCount(options.file, options.format);
  const rejectedFile = options.rejectedOut ? await openRejectedOut(options.rejectedOut) : undefined;
  const tally = new SubmissionTally();
  const progress: SubmitProgress = io.stderr.isTTY
    ? new TtyProgressBar(io.stderr, io.now)
    : new PlainProgressLog(io.stderr, io.now);

  io.stderr.write(
    `Submitting ${options.file} (${options.format}, ~${expected} items) to ${globals.ingestorUrl} ` +
      `as batch ${options.batchId}${options.batchIdGenerated ? ' (generated)' : ''}, ` +
      `${options.batchSize} items per request\n`,
  );
  progress.start(expected);

  let stopped: { reason: string; exitCode: ExitCode; message: string } | undefined;
  try {
    const records = readItemFile(options.file, options.format, options.mapping);
    for await (const batch of batchRecords(records, options.batchSize)) {
      const items = batch.items.map((item) => item.submission);
      const result =
        items.length > 0
          ? await sender.send(options.batchId, items, (notice) => progress.retrying(batch, notice))
          : undefined;
      const outcomes = toLineOutcomes(batch, result);
      tally.add(outcomes, items.length);
      await rejectedFile?.write(outcomes.rejected);
      progress.batchDone(batch, tally);
    }
  } catch (error) {
    stopped = whyStopped(error, options.file);
  } finally {
    progress.stop(stopped === undefined);
    await rejectedFile?.close();
  }

  if (stopped) {
    io.stderr.write(`workpipe submit: ${stopped.message}\n`);
    // Refused before any answer (a bad header, a wrong key): there is no summary to give.
    if (stopped.exitCode !== EXIT_CODES.stopped && tally.requests === 0) return stopped.exitCode;
  }
  io.stdout.write(
    formatSummary({
      file: options.file,
      batchId: options.batchId,
      tally,
      stoppedBecause: stopped?.reason,
      rejectedOut: options.rejectedOut,
    }),
  );
  if (stopped) return stopped.exitCode;
  return tally.rejected > 0 ? EXIT_CODES.rejected : EXIT_CODES.ok;
}

async function openRejectedOut(path: string): Promise<RejectedLinesFile> {
  try {
    return await RejectedLinesFile.open(path);
  } catch (error) {
    throw new InputFileError(`cannot write --rejected-out ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** The exit code and the words for an error that ended the run; rethrows what is a bug. */
function whyStopped(error: unknown, file: string): { reason: string; exitCode: ExitCode; message: string } {
  if (error instanceof IngestorUnavailableError) {
    return { reason: error.message, exitCode: EXIT_CODES.stopped, message: error.message };
  }
  if (error instanceof UnexpectedResponseError) {
    return { reason: error.message, exitCode: EXIT_CODES.stopped, message: error.message };
  }
  if (error instanceof ApiKeyRejectedError) {
    const message = error.keyGiven
      ? `the ingestor refused the API key (${error.message}); check --api-key or API_KEY`
      : 'the ingestor requires an API key: give it with --api-key or the API_KEY variable';
    return { reason: 'the API key was refused', exitCode: EXIT_CODES.unauthorized, message };
  }
  if (error instanceof InputFileError) {
    return { reason: `${file}: ${error.message}`, exitCode: EXIT_CODES.usage, message: `${file}: ${error.message}` };
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('E')) {
    // A read failure of the file itself (EIO, EISDIR, ...), not a bug.
    const message = `cannot read ${file}: ${(error as Error).message}`;
    return { reason: message, exitCode: EXIT_CODES.usage, message };
  }
  throw error;
}
