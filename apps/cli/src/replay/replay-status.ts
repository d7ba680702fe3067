import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { rangeReader } from './dead-letter-reader';
import { ReplayNotFoundError } from './errors/replay-not-found-error';
import type { ReplayClients } from './replay-clients';
import { tallyOutcome, type ReplayOutcome } from './replay-outcome';
import { pollUntil, ReplayOutcomeTracker } from './replay-outcome-tracker';
import type { ReplayRecord } from './replay-record';
import { ReplayRecordStore } from './replay-record-store';
import { formatReplayStatus, formatWaitProgress } from './replay-report';
import { describeSelection } from './replay-selection';

/** Pause between two looks at the topics while waiting, in milliseconds. */
export const STATUS_POLL_INTERVAL_MS = 2_000;

/** How to read a replay's outcome. */
export interface OutcomeQuery {
  replayId: string;
  /** Poll until nothing is pending or `timeoutMs` passed. */
  wait: boolean;
  /** Longest wait, in milliseconds. */
  timeoutMs: number;
}

/**
 * The record and outcome of a replay: recovered, still failing, pending. With
 * `wait`, polls (a progress line on stderr whenever the tally changes) until
 * nothing is pending or the timeout.
 * @throws ReplayNotFoundError for an unknown id
 */
export async function readReplayOutcome(
  clients: ReplayClients,
  io: CliIo,
  query: OutcomeQuery,
): Promise<{ record: ReplayRecord; outcome: ReplayOutcome; timedOut: boolean }> {
  const records = new ReplayRecordStore(clients.redis, clients.config.redis.keyPrefix);
  let record = await records.get(query.replayId);
  if (!record) throw new ReplayNotFoundError(query.replayId);
  const tracker = new ReplayOutcomeTracker(clients, rangeReader(clients, io.random), query.replayId, Date.parse(record.createdAt));
  let outcome: ReplayOutcome | undefined;
  let lastLine = '';
  const timedOut = await pollUntil(io, query.wait ? query.timeoutMs : 0, STATUS_POLL_INTERVAL_MS, async () => {
    // The item list first: whatever it holds was republished before the topics are read.
    const items = await records.items(query.replayId);
    record = (await records.get(query.replayId)) ?? record;
    await tracker.refresh();
    outcome = tallyOutcome(items.map((item) => item.itemId), tracker);
    if (!query.wait) return true;
    const line = formatWaitProgress(outcome);
    if (line !== lastLine) io.stderr.write(line);
    lastLine = line;
    return outcome.pending === 0 && record?.state !== 'running';
  });
  return { record: record as ReplayRecord, outcome: outcome as ReplayOutcome, timedOut: query.wait && timedOut };
}

/** `workpipe replay-status`: prints the record and the outcome; 0 when every replayed item recovered, else 1. */
export async function showReplayStatus(clients: ReplayClients, io: CliIo, query: OutcomeQuery): Promise<ExitCode> {
  const { record, outcome, timedOut } = await readReplayOutcome(clients, io, query);
  io.stdout.write(formatReplayStatus(record, describeSelection(record.selection), outcome, timedOut));
  return outcomeExitCode(outcome);
}

export function outcomeExitCode(outcome: ReplayOutcome): ExitCode {
  return outcome.recovered === outcome.republished ? EXIT_CODES.ok : EXIT_CODES.rejected;
}
