import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { WorkAbandoned, WorkItem, type OperationsApi, type SourcePosition } from '@workpipe/contracts';
import { PublishError, type EventPublisher, type WorkerMessage } from '@workpipe/kafka';
import type { Logger } from '@workpipe/logging';
import { ChosenDeadLetters } from '../choosing/chosen-dead-letters';
import type { ItemSuccesses } from '../choosing/item-successes';
import { LatestDeadLetterIndex } from '../choosing/latest-dead-letter-index';
import { judgeCandidate } from '../choosing/retry-candidates';
import type { LedgerEntry, ReplayLedger } from '../ledger/replay-ledger';
import type { ReplayOutcomeStore } from '../outcome/replay-outcome-store';
import { TokenBucket } from '../pacing/token-bucket';
import { replayedItemHeaders, replayedWorkItem } from '../publishing/replayed-item';
import { READ_CHUNK_SIZE, type TopicRangeReader } from '../reading/topic-range-reader';
import type { ReplayKeys } from '../records/replay-keys';
import type { ReplayRecord } from '../records/replay-record';
import type { ReplayRecordStore } from '../records/replay-record-store';
import { DeadLetterMatcher } from '../selection/dead-letter-filter';
import type { DeadLetter } from '../selection/dead-letter';
import { describeSelection, selectionFilter, selectionRanges } from '../selection/resolved-selection';
import { deadLettersOf } from './dead-letter-messages';
import type { InFlightResolver } from './in-flight-resolver';
import { RunTally } from './run-tally';

/** Dead letters republished per Kafka produce (and per ledger round trip). */
export const REPLAY_CHUNK_SIZE = 100;
/** Pause before asking again about dead letters another run is publishing right now, in milliseconds. */
export const BUSY_RETRY_MS = 500;
/** Already-replayed dead letters a dry run names; the count is always complete. */
const MAX_ALREADY_LISTED = 20;
/** How long a dry run's scratch index may outlive it if its process dies, in milliseconds. */
const SCRATCH_TTL_MS = 3_600_000;

/** One item in Kafka again, for the item's history. */
export interface RepublishedItem {
  replayId: string;
  itemId: string;
  replayedAt: string;
  source: SourcePosition;
}

export interface ReplayRunnerDependencies {
  redis: Redis;
  keys: ReplayKeys;
  records: ReplayRecordStore;
  ledger: ReplayLedger;
  outcomes: ReplayOutcomeStore;
  reader: TopicRangeReader;
  inFlight: InFlightResolver;
  /** Produces the replayed items. */
  publisher: Pick<EventPublisher, 'publish'>;
  /** The work topic under the service's prefix. */
  workTopic: string;
  successes: ItemSuccesses;
  logger: Logger;
  /** Epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Called once items are in Kafka (and settled), e.g. to add the replay to each item's history. */
  onRepublished?: (items: readonly RepublishedItem[]) => Promise<void>;
}

/** How a run ended: `running` when it was stopped from outside (the service is stopping) and is to be resumed. */
export interface RunResult {
  state: OperationsApi.ReplayState;
  tally: RunTally;
  error?: Error;
}

/** Where the second pass takes its "is this one selected" from. */
type Chooser =
  | { kind: 'replay'; matcher: DeadLetterMatcher; index: LatestDeadLetterIndex }
  | { kind: 'retry-failures'; chosen: ChosenDeadLetters };

/**
 * Runs replays in two passes over the selection's ranges, streaming (one
 * chunk per partition in memory at a time; whatever is per item lives in Redis):
 *
 * 1. select: the latest matching dead letter of each item into an index
 *    (`replay:<id>:latest`), so an item with several selected dead letters is
 *    replayed once, from its latest; retry-failures then chooses from that
 *    index (worth retrying, not replayed, not succeeded since, the `max`
 *    oldest) into `replay:<id>:chosen`. Done once per replay: a continue
 *    replays exactly what the first run selected.
 * 2. republish: each selected dead letter is reserved in the ledger,
 *    republished to the work topic as a fresh attempt (throttled by the rate,
 *    cut at the trial), and confirmed; a superseded one is settled without a
 *    publish. A dead letter another run is publishing is waited for; one whose
 *    reservation went stale is looked up in the work topic (confirmed if its
 *    item is there, else republished), never counted as done unseen.
 */
export class ReplayRunner {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: ReplayRunnerDependencies) {
    this.now = deps.now ?? (() => Date.now());
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * One run of a recorded replay (the caller holds its lease): selects if
   * that is not done yet, then republishes. Records progress as it goes and
   * the end (complete, trial, cancelled, interrupted); `signal` stops it with
   * its state left `running`, to be resumed.
   */
  async run(replayId: string, pacing: OperationsApi.Pacing, signal: AbortSignal): Promise<RunResult> {
    const { records } = this.deps;
    const record = await records.get(replayId);
    if (!record) throw new Error(`replay ${replayId} is not recorded`);
    await records.startRun(replayId, record.runs + 1, pacing, this.date());
    const tally = new RunTally(0);
    try {
      const chooser = await this.prepare(record, tally);
      await records.updateRun(replayId, { phase: 'publishing', ...this.update(tally) }, this.date());
      const end = await this.republishPass(record, chooser, tally, pacing, signal);
      if (end === 'aborted') {
        await records.updateRun(replayId, this.update(tally), this.date());
        return { state: 'running', tally };
      }
      const state: OperationsApi.ReplayState = end === 'cancelled' ? 'cancelled' : end === 'trial' && tally.remaining > 0 ? 'trial' : 'complete';
      await records.endRun(replayId, state, this.update(tally), this.date());
      return { state, tally };
    } catch (error) {
      const failure = error as Error;
      this.deps.logger.error({ replayId, err: failure }, 'replay run interrupted');
      await records.endRun(replayId, 'interrupted', { ...this.update(tally), error: failure.message }, this.date()).catch(() => undefined);
      return { state: 'interrupted', tally, error: failure };
    }
  }

  /**
   * What a run would replay, publishing and recording nothing: both passes,
   * the first into a scratch index (deleted after) unless the replay being
   * continued has its own.
   */
  async dryRun(
    selection: OperationsApi.ResolvedSelection,
    options: { pacing: OperationsApi.Pacing; sampleLimit: number; record?: ReplayRecord },
  ): Promise<OperationsApi.DryRunResult> {
    const { record } = options;
    const scratch = randomUUID();
    const indexKey = record?.chosen ? this.deps.keys.of(record.replayId, 'latest') : this.deps.keys.scratch(scratch);
    const chosenKey = record?.chosen ? this.deps.keys.of(record.replayId, 'chosen') : `${this.deps.keys.scratch(scratch)}:chosen`;
    const tally: RunTally & { candidates?: OperationsApi.RetryCandidates } = new RunTally(0);
    try {
      const pseudo: ReplayRecord = record ?? dryRecord(selection);
      const chooser = await this.choose(pseudo, tally, { indexKey, chosenKey, scratch: !record?.chosen });
      const rows: OperationsApi.DeadLetterRow[] = [];
      const already: string[] = [];
      let wouldReplay = 0;
      const rowLimit = Math.min(options.sampleLimit, options.pacing.trial ?? Number.POSITIVE_INFINITY);
      const pass = new RunTally(tally.selected);
      await this.deps.reader.read({
        topic: selection.topic,
        ranges: selectionRanges(selection),
        contract: WorkAbandoned,
        onChunk: async (messages) => {
          const selected = await this.classify(selection.topic, chooser, messages, pass, false);
          const settled = await this.deps.ledger.settled(selection.topic, selected.map(({ position }) => position));
          selected.forEach((deadLetter, index) => {
            if (settled[index]) {
              pass.alreadyReplayed++;
              if (already.length < MAX_ALREADY_LISTED) already.push(`${deadLetter.position.partition}:${deadLetter.position.offset} ${deadLetter.value.item.itemId}`);
            } else {
              wouldReplay++;
              if (rows.length < rowLimit) rows.push(rowOf(deadLetter));
            }
          });
          return 'continue';
        },
      });
      const candidates = tally.candidates ?? record?.candidates;
      return {
        origin: selection.origin,
        topic: selection.topic,
        selectionText: describeSelection(selection),
        counts: {
          read: pass.read,
          wouldReplay,
          alreadyReplayed: pass.alreadyReplayed,
          skippedByFilter: pass.skippedByFilter,
          superseded: pass.superseded,
          undecodable: pass.undecodable,
        },
        rows,
        alreadyReplayed: already,
        ...(candidates ? { candidates } : {}),
      };
    } finally {
      if (!record?.chosen) await this.deps.redis.del(indexKey, chosenKey).catch(() => undefined);
    }
  }

  // --- first pass -------------------------------------------------------------

  /** The run's chooser; builds the index (and retry-failures' chosen set) when the replay has none yet. */
  private async prepare(record: ReplayRecord, tally: RunTally): Promise<Chooser> {
    const { keys } = this.deps;
    return this.choose(record, tally, { indexKey: keys.of(record.replayId, 'latest'), chosenKey: keys.of(record.replayId, 'chosen'), scratch: false });
  }

  private async choose(
    record: ReplayRecord,
    tally: RunTally & { candidates?: OperationsApi.RetryCandidates },
    where: { indexKey: string; chosenKey: string; scratch: boolean },
  ): Promise<Chooser> {
    const { redis, records } = this.deps;
    const { selection } = record;
    const ttlMs = where.scratch ? SCRATCH_TTL_MS : 0;
    const index = new LatestDeadLetterIndex(redis, where.indexKey, ttlMs);
    const persist = !where.scratch && record.replayId !== DRY_RUN_ID;
    if (selection.origin === 'replay') {
      const matcher = new DeadLetterMatcher(selectionFilter(selection));
      if (!record.chosen) {
        await this.indexPass(record, index, matcher, persist);
        if (persist) await records.setChosen(record.replayId, undefined, this.date());
      }
      tally.selected = await index.size();
      return { kind: 'replay', matcher, index };
    }
    const chosen = new ChosenDeadLetters(redis, where.chosenKey, ttlMs);
    if (!record.chosen) {
      const first = await this.indexPass(record, index, undefined, persist);
      if (persist) await records.updateRun(record.replayId, { phase: 'choosing', ...this.update(first) }, this.date());
      const candidates = await this.chooseRetryCandidates(record, index, chosen, first);
      tally.candidates = candidates;
      if (persist) await records.setChosen(record.replayId, candidates, this.date());
      await index.delete();
    }
    tally.selected = await chosen.size();
    return { kind: 'retry-failures', chosen };
  }

  /** Reads the ranges once, offering each (matching) dead letter to the index; returns what it read. */
  private async indexPass(record: ReplayRecord, index: LatestDeadLetterIndex, matcher: DeadLetterMatcher | undefined, persist: boolean): Promise<RunTally> {
    const { selection } = record;
    const read = new RunTally(0);
    let lastUpdate = 0;
    await this.deps.reader.read({
      topic: selection.topic,
      ranges: selectionRanges(selection),
      contract: WorkAbandoned,
      onChunk: async (messages) => {
        const { deadLetters, undecodable } = deadLettersOf(messages);
        read.read += messages.length;
        for (const position of undecodable) read.markUndecodable(position);
        const matching = matcher ? deadLetters.filter((deadLetter) => matcher.matches(deadLetter.value)) : deadLetters;
        read.skippedByFilter += deadLetters.length - matching.length;
        await index.offer(matching);
        if (persist && this.now() - lastUpdate > 500) {
          lastUpdate = this.now();
          await this.deps.records.updateRun(record.replayId, this.update(read), this.date());
        }
        return 'continue';
      },
    });
    return read;
  }

  /** retry-failures: which items' latest dead letters are worth a replay, the `max` oldest kept. */
  private async chooseRetryCandidates(
    record: ReplayRecord,
    index: LatestDeadLetterIndex,
    chosen: ChosenDeadLetters,
    read: RunTally,
  ): Promise<OperationsApi.RetryCandidates> {
    const { selection } = record;
    const drops = { notWorthRetrying: 0, otherType: 0, alreadyReplayed: 0, succeededLater: 0 };
    let items = 0;
    await chosen.delete();
    for await (const page of index.entries()) {
      items += page.length;
      const settled = await this.deps.ledger.settled(selection.topic, page);
      const open = page.filter((entry, i) => judgeCandidate(entry, selection.filter.types, settled[i] as boolean, undefined) === 'candidate');
      const successes = await this.deps.successes.lastSuccessAt(open.map((entry) => entry.itemId));
      const successOf = new Map(open.map((entry, i) => [entry.itemId, successes[i]]));
      const candidates = [];
      for (const [i, entry] of page.entries()) {
        const verdict = judgeCandidate(entry, selection.filter.types, settled[i] as boolean, successOf.get(entry.itemId));
        if (verdict === 'candidate') candidates.push(entry);
        else drops[verdict]++;
      }
      await chosen.add(candidates);
    }
    const available = await chosen.size();
    if (selection.max !== undefined && available > selection.max) await chosen.keepOldest(selection.max);
    return { read: read.read, items, undecodable: read.undecodable, drops, available, ...(selection.max === undefined ? {} : { max: selection.max }) };
  }

  // --- second pass ------------------------------------------------------------

  /** Counts a chunk's dead letters and returns those selected; in a real run, settles the superseded ones. */
  private async classify(topic: string, chooser: Chooser, messages: readonly WorkerMessage[], tally: RunTally, settleSuperseded: boolean): Promise<DeadLetter[]> {
    const { deadLetters, undecodable } = deadLettersOf(messages);
    tally.read += messages.length;
    for (const position of undecodable) tally.markUndecodable(position);
    if (chooser.kind === 'retry-failures') {
      const chosen = await chooser.chosen.contains(deadLetters.map(({ position }) => position));
      const selected = deadLetters.filter((_, i) => chosen[i]);
      tally.skippedByFilter += deadLetters.length - selected.length;
      return selected;
    }
    const matching = deadLetters.filter((deadLetter) => chooser.matcher.matches(deadLetter.value));
    tally.skippedByFilter += deadLetters.length - matching.length;
    const latest = await chooser.index.isLatest(matching);
    const superseded = matching.filter((_, i) => !latest[i]);
    tally.superseded += superseded.length;
    if (settleSuperseded) await this.deps.ledger.settle(topic, superseded.map(({ position }) => position));
    return matching.filter((_, i) => latest[i]);
  }

  private async republishPass(
    record: ReplayRecord,
    chooser: Chooser,
    tally: RunTally,
    pacing: OperationsApi.Pacing,
    signal: AbortSignal,
  ): Promise<'done' | 'trial' | 'cancelled' | 'aborted'> {
    const { selection, replayId } = record;
    const bucket = pacing.ratePerSecond === undefined ? undefined : new TokenBucket({ ratePerSecond: pacing.ratePerSecond, now: this.now, sleep: this.sleep });
    const chunkMax = bucket ? Math.max(1, Math.min(REPLAY_CHUNK_SIZE, Math.floor(bucket.capacity))) : REPLAY_CHUNK_SIZE;
    const budget = { left: pacing.trial ?? Number.POSITIVE_INFINITY };
    let end: 'done' | 'trial' | 'cancelled' | 'aborted' = 'done';
    /** A chunk failed: the run ends with its error, so the other partitions' chunks publish no further batch. */
    let failed = false;
    const stopNow = async (): Promise<boolean> => {
      if (end !== 'done' || failed) return true;
      if (signal.aborted) end = 'aborted';
      else if (await this.deps.records.cancelRequested(replayId)) end = 'cancelled';
      return end !== 'done';
    };
    await this.deps.reader.read({
      topic: selection.topic,
      ranges: selectionRanges(selection),
      contract: WorkAbandoned,
      // With a low rate a chunk takes long: keep it to about ten seconds' worth.
      chunkSize: bucket ? Math.max(1, Math.min(READ_CHUNK_SIZE, Math.ceil((pacing.ratePerSecond as number) * 10))) : READ_CHUNK_SIZE,
      onChunk: async (messages) => {
        if (await stopNow()) return 'stop';
        try {
          const queue = await this.classify(selection.topic, chooser, messages, tally, true);
          while (queue.length > 0) {
            if (budget.left <= 0) {
              end = 'trial';
              break;
            }
            if (await stopNow()) break;
            const take = Math.min(chunkMax, budget.left);
            const batch = queue.splice(0, take);
            budget.left -= batch.length;
            const { published, busy } = await this.republishBatch(selection.topic, replayId, batch, tally, bucket);
            budget.left += batch.length - published;
            if (busy.length > 0) {
              await this.sleep(BUSY_RETRY_MS);
              queue.unshift(...busy);
            }
          }
          await this.deps.records.updateRun(replayId, this.update(tally), this.date());
        } catch (error) {
          failed = true;
          throw error;
        }
        return end === 'done' ? 'continue' : 'stop';
      },
    });
    return end;
  }

  /**
   * Reserves, republishes and confirms one batch. Returns how many this run
   * published and the dead letters another run is publishing right now (to be
   * asked about again).
   */
  private async republishBatch(
    topic: string,
    replayId: string,
    batch: readonly DeadLetter[],
    tally: RunTally,
    bucket: TokenBucket | undefined,
  ): Promise<{ published: number; busy: DeadLetter[] }> {
    const { ledger, outcomes } = this.deps;
    const entries = batch.map(entryOf);
    const reservations = await ledger.reserve(topic, replayId, entries, this.now());
    const going: DeadLetter[] = [];
    const busy: DeadLetter[] = [];
    const done: DeadLetter[] = [];
    const stale: { deadLetter: DeadLetter; owner: string; reservedAtMs: number; held: string }[] = [];
    reservations.forEach((reservation, i) => {
      const deadLetter = batch[i] as DeadLetter;
      if (reservation.status === 'reserved') going.push(deadLetter);
      else if (reservation.status === 'done') done.push(deadLetter);
      else if (reservation.status === 'busy') busy.push(deadLetter);
      else stale.push({ deadLetter, owner: reservation.owner, reservedAtMs: reservation.reservedAtMs, held: reservation.held });
    });
    if (stale.length > 0) {
      const found = await this.deps.inFlight.published(
        topic,
        stale.map(({ deadLetter, owner, reservedAtMs }) => ({ partition: deadLetter.position.partition, offset: deadLetter.position.offset, owner, reservedAtMs })),
      );
      const free: typeof stale = [];
      for (const [i, entry] of stale.entries()) {
        if (!found[i]) {
          free.push(entry);
          continue;
        }
        // Its item is in the work topic: published by the run that reserved it.
        await ledger.confirm(topic, entry.owner, [entryOf(entry.deadLetter)]);
        if (entry.owner === replayId) tally.earlier++;
        else tally.alreadyReplayed++;
      }
      const taken = await ledger.takeOver(topic, replayId, free.map(({ deadLetter, held }) => ({ ...entryOf(deadLetter), held })), this.now());
      free.forEach((entry, i) => (taken[i] ? going : busy).push(entry.deadLetter));
    }
    if (done.length > 0) {
      const listed = await outcomes.listed(replayId, done.map((deadLetter) => deadLetter.value.item.itemId));
      for (const mine of listed) {
        if (mine) tally.earlier++;
        else tally.alreadyReplayed++;
      }
    }
    if (going.length === 0) return { published: 0, busy };
    await bucket?.take(going.length);
    const replayedAt = this.date();
    const items = going.map((deadLetter) => replayedWorkItem(deadLetter, replayId, replayedAt));
    const reserved = going.map(entryOf);
    try {
      await this.deps.publisher.publish(
        this.deps.workTopic,
        WorkItem,
        items.map((item) => ({ key: item.key, value: item, headers: replayedItemHeaders(item) })),
      );
    } catch (error) {
      // Definitely not written: free them. Otherwise they stay reserved until stale, then are looked up.
      if (error instanceof PublishError && error.definitelyNotWritten) await ledger.release(topic, replayId, reserved).catch(() => undefined);
      throw error;
    }
    await ledger.confirm(topic, replayId, reserved);
    tally.republished += going.length;
    await this.deps.onRepublished?.(
      going.map((deadLetter) => ({ replayId, itemId: deadLetter.value.item.itemId, replayedAt: replayedAt.toISOString(), source: deadLetter.position })),
    );
    return { published: going.length, busy };
  }

  private update(tally: RunTally) {
    return { counts: tally.counts(), earlier: tally.earlier, remaining: tally.remaining, undecodable: tally.undecodablePositions };
  }

  private date(): Date {
    return new Date(this.now());
  }
}

/** The id of the stand-in record of a dry run of a new selection (never stored). */
const DRY_RUN_ID = 'dry-run';

function dryRecord(selection: OperationsApi.ResolvedSelection): ReplayRecord {
  const at = new Date(0).toISOString();
  return {
    replayId: DRY_RUN_ID,
    createdAt: at,
    updatedAt: at,
    state: 'running',
    runs: 0,
    requestedBy: { kind: 'anonymous' },
    selection,
    selectionText: describeSelection(selection),
    counts: { read: 0, selected: 0, republished: 0, alreadyReplayed: 0, skippedByFilter: 0, superseded: 0, undecodable: 0 },
    lastRun: { run: 0, startedAt: at, pacing: {}, counts: { read: 0, selected: 0, republished: 0, alreadyReplayed: 0, skippedByFilter: 0, superseded: 0, undecodable: 0 }, earlier: 0, remaining: 0, undecodable: [] },
    chosen: false,
    recovered: 0,
    failedAgain: 0,
    cancelRequested: false,
  };
}

function entryOf(deadLetter: DeadLetter): LedgerEntry {
  return { partition: deadLetter.position.partition, offset: deadLetter.position.offset, itemId: deadLetter.value.item.itemId };
}

function rowOf({ position, value }: DeadLetter): OperationsApi.DeadLetterRow {
  return {
    partition: position.partition,
    offset: position.offset,
    itemId: value.item.itemId,
    key: value.item.key,
    lastFailureType: value.lastFailure.type,
    reason: value.reason,
    attempts: value.item.history.length,
    abandonedAt: value.abandonedAt,
    message: value.lastFailure.message,
  };
}
