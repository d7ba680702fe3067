import { WorkItem } from '@workpipe/contracts';
import { EventPublisher, PublishError } from '@workpipe/kafka';
import type { CliIo } from '../cli-io';
import { UsageError } from '../errors/usage-error';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { positionKey, type DeadLetter } from './dead-letter';
import { readDeadLetters, rangeReader } from './dead-letter-reader';
import { selectDeadLetters } from './dead-letter-selection';
import { ReplayInterruptedError } from './errors/replay-interrupted-error';
import type { ReplayClients } from './replay-clients';
import { ReplayLedger } from './replay-ledger';
import type { ReplayPacing } from './replay-options';
import { replayProgress } from './replay-progress';
import { EMPTY_COUNTS, type ReplayCounts, type ReplayRecord, type ReplaySelection } from './replay-record';
import { ReplayRecordStore } from './replay-record-store';
import { formatDryRun, formatReplaySummary, type ReplayRunSummary } from './replay-report';
import { describeSelection, positionKeys, selectionFilter, selectionRanges } from './replay-selection';
import { replayedItemHeaders, replayedWorkItem } from './replayed-item';
import { TokenBucket } from './token-bucket';

/** Dead letters republished per Kafka produce (and per Redis round trip). */
export const REPLAY_CHUNK_SIZE = 100;

/** Undecodable positions named in a summary; the count is always complete. */
const MAX_UNDECODABLE_LISTED = 10;

/** One run of a replay: a new one or a `--continue`. */
export interface ReplayRunInput {
  replayId: string;
  selection: ReplaySelection;
  /** The record being continued; absent for a new replay. */
  existing?: ReplayRecord;
  pacing: ReplayPacing;
  /**
   * Dead letters already read and chosen (`retry-failures`), with the counts of
   * how they were chosen; absent: read the selection's ranges and filter them.
   */
  preselected?: { selected: DeadLetter[]; counts: Pick<ReplayCounts, 'read' | 'skippedByFilter' | 'superseded' | 'undecodable'>; undecodable: string[] };
}

/**
 * Reads the selection, then either lists it (`--dry-run`) or republishes each
 * selected dead letter's item to the work topic as a fresh attempt, throttled
 * by `--rate` and cut at `--trial`. Each dead letter is reserved in Redis
 * before it is republished and confirmed after, so any dead letter is
 * republished once whatever the replay. Progress on stderr, the summary on
 * stdout; resolves with the exit code, throws {@link ReplayInterruptedError}
 * when a backend fails part-way (the record then says `interrupted`).
 */
export async function runReplay(clients: ReplayClients, io: CliIo, input: ReplayRunInput): Promise<{ exitCode: ExitCode; summary?: ReplayRunSummary }> {
  const { replayId, selection, pacing } = input;
  const selectionText = describeSelection(selection);
  const ledger = new ReplayLedger(clients.redis, clients.config.redis.keyPrefix);
  const records = new ReplayRecordStore(clients.redis, clients.config.redis.keyPrefix);

  let chosen: { selected: DeadLetter[]; counts: Pick<ReplayCounts, 'read' | 'skippedByFilter' | 'superseded' | 'undecodable'>; undecodable: string[] };
  if (input.preselected) {
    chosen = input.preselected;
  } else {
    io.stderr.write(`Reading ${selectionText} ...\n`);
    const read = await readDeadLetters(rangeReader(clients, io.random), clients.serde, selection.topic, selectionRanges(selection));
    const picked = selectDeadLetters(read.deadLetters, selectionFilter(selection), selection.only ? new Set(selection.only) : undefined);
    chosen = {
      selected: picked.selected,
      counts: {
        read: read.deadLetters.length + read.undecodable.length,
        skippedByFilter: picked.skippedByFilter,
        superseded: picked.superseded.length,
        undecodable: read.undecodable.length,
      },
      undecodable: read.undecodable,
    };
  }
  const { selected } = chosen;
  const finishedCode: ExitCode = chosen.counts.undecodable > 0 ? EXIT_CODES.rejected : EXIT_CODES.ok;

  if (pacing.dryRun) {
    const replayed = await ledger.replayed(positionKeys(selected));
    const [alreadyReplayed, wouldReplay] = partition(selected, (d) => replayed.has(positionKey(d.position)));
    const listed = pacing.trial === undefined ? wouldReplay : wouldReplay.slice(0, pacing.trial);
    io.stdout.write(formatDryRun({ selectionText, wouldReplay: listed, alreadyReplayed, counts: chosen.counts }));
    if (listed.length < wouldReplay.length) {
      io.stdout.write(`(--trial ${pacing.trial}: the first ${listed.length} of ${wouldReplay.length}; --continue would replay the rest)\n`);
    }
    return { exitCode: finishedCode };
  }

  const now = () => new Date(io.now());
  const runCounts = (republished: number, alreadyReplayed: number): ReplayCounts => ({
    ...EMPTY_COUNTS,
    ...chosen.counts,
    selected: selected.length,
    republished,
    alreadyReplayed,
  });
  if (input.existing) {
    await records.update(replayId, { state: 'running', runs: input.existing.runs + 1 }, now());
  } else {
    const createdAt = now().toISOString();
    const created = await records.create({
      replayId,
      createdAt,
      updatedAt: createdAt,
      state: 'running',
      runs: 1,
      selection,
      counts: runCounts(0, 0),
    });
    if (!created) {
      throw new UsageError(`a replay "${replayId}" exists already; continue it with --continue ${replayId}, or choose another --replay-id`, 'workpipe replay --help');
    }
  }

  const earlier = await records.republished(replayId, positionKeys(selected));
  const toDo = selected.filter((deadLetter) => !earlier.has(positionKey(deadLetter.position)));
  const limit = pacing.trial ?? Number.POSITIVE_INFINITY;
  const bucket = pacing.ratePerSecond === undefined ? undefined : new TokenBucket({ ratePerSecond: pacing.ratePerSecond, now: io.now, sleep: io.sleep });
  const chunkMax = bucket ? Math.max(1, Math.min(REPLAY_CHUNK_SIZE, Math.floor(bucket.capacity))) : REPLAY_CHUNK_SIZE;
  const publisher = new EventPublisher(clients.kafka, clients.serde, clients.logger, { timeoutMs: clients.config.publishTimeoutMs });
  const progress = replayProgress(io.stderr, io.now);
  let republished = 0;
  let alreadyReplayed = 0;
  let index = 0;

  io.stderr.write(
    `Replay ${replayId}: ${toDo.length} to republish to ${clients.topics.work}` +
      (earlier.size > 0 ? ` (${earlier.size} republished by earlier runs)` : '') +
      (pacing.trial === undefined ? '' : `, trial of ${pacing.trial}`) +
      (pacing.ratePerSecond === undefined ? '' : `, at most ${pacing.ratePerSecond} items/s`) +
      '\n',
  );
  try {
    if (toDo.length > 0) await publisher.connect();
    progress.start(Math.min(toDo.length, limit));
    while (index < toDo.length && republished < limit) {
      const chunk = toDo.slice(index, index + Math.min(chunkMax, limit - republished));
      index += chunk.length;
      const { reserved, taken } = await ledger.reserve(positionKeys(chunk));
      alreadyReplayed += taken.size;
      const reservedSet = new Set(reserved);
      const going = chunk.filter((deadLetter) => reservedSet.has(positionKey(deadLetter.position)));
      if (going.length > 0) {
        await bucket?.take(going.length);
        await republish(publisher, clients.topics.work, going, replayId, now(), ledger);
        await records.addItems(
          replayId,
          going.map((deadLetter) => ({
            position: positionKey(deadLetter.position),
            itemId: deadLetter.value.item.itemId,
            key: deadLetter.value.item.key,
            at: now().toISOString(),
          })),
        );
        republished += going.length;
      }
      progress.update({ republished, alreadyReplayed });
    }
  } catch (error) {
    progress.stop();
    await records
      .update(replayId, { state: 'interrupted', counts: runCounts(earlier.size + republished, alreadyReplayed) }, now())
      .catch(() => undefined);
    throw new ReplayInterruptedError(replayId, republished, error as Error);
  } finally {
    progress.stop();
    await publisher.disconnect().catch(() => undefined);
  }

  const remaining = toDo.length - index;
  const state = remaining > 0 ? 'trial' : 'complete';
  const republishedTotal = await records.itemCount(replayId);
  const counts = runCounts(republishedTotal, alreadyReplayed);
  await records.update(replayId, { state, counts }, now());
  const summary: ReplayRunSummary = {
    replayId,
    state,
    selectionText,
    counts: { ...counts, republished },
    republishedTotal,
    earlier: earlier.size,
    remaining,
    undecodable: chosen.undecodable.slice(0, MAX_UNDECODABLE_LISTED),
    continued: input.existing !== undefined,
    origin: selection.origin,
  };
  io.stdout.write(formatReplaySummary(summary));
  return { exitCode: finishedCode, summary };
}

/**
 * Publishes the items of reserved dead letters and confirms them. A publish
 * that definitely failed frees the reservations; one that timed out keeps them
 * (the items may still land) until they expire.
 */
async function republish(
  publisher: EventPublisher,
  workTopic: string,
  deadLetters: readonly DeadLetter[],
  replayId: string,
  replayedAt: Date,
  ledger: ReplayLedger,
): Promise<void> {
  const positions = positionKeys(deadLetters);
  const items = deadLetters.map((deadLetter) => replayedWorkItem(deadLetter, replayId, replayedAt));
  try {
    await publisher.publish(
      workTopic,
      WorkItem,
      items.map((item) => ({ key: item.key, value: item, headers: replayedItemHeaders(item) })),
    );
  } catch (error) {
    if (!(error instanceof PublishError) || error.definitelyNotWritten) await ledger.release(positions).catch(() => undefined);
    throw error;
  }
  await ledger.confirm(positions);
}

function partition<T>(values: readonly T[], test: (value: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const value of values) (test(value) ? yes : no).push(value);
  return [yes, no];
}
