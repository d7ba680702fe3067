import { setMaxListeners } from 'node:events';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '@workpipe/logging';
import { PayloadValidationError } from '../errors/payload-validation-error';
import { RecordTooLargeError } from '../errors/record-too-large-error';
import type { EncodedRecord } from '../produce/encoded-record';
import type { EventPublisher } from '../produce/event-publisher';
import type { RecordEncoder } from '../produce/record-encoder';
import type { RegistrySerde } from '../schema-registry/registry-serde';
import { resolveConsumerSpec, type ConsumerSpec, type ResolvedConsumerSpec } from './consumer-spec';
import { ProducerFencedError } from './errors/producer-fenced-error';
import { ResumePositionLostError } from './errors/resume-position-lost-error';
import { WorkerFailedError } from './errors/worker-failed-error';
import { MessageDecoder, rejectionOutput } from './message-decoder';
import type { Output } from './output';
import { PartitionProducers, partitionKey } from './partition-producers';
import { PartitionWindow, type WindowEntry } from './partition-window';
import type { WorkerHealth, WorkerState } from './worker-health';
import type { WorkerMessage } from './worker-message';

/** What a handler gets besides its message(s). */
export interface HandlerContext {
  /** Aborted when the partition is revoked or the worker stops: the message will be handled again, here or elsewhere. */
  signal: AbortSignal;
}

/** Handles one message; returns the events to commit with its offset. */
export type EachHandler = (message: WorkerMessage, context: HandlerContext) => Promise<readonly Output[] | void>;
/** Handles up to `chunkSize` messages of one partition, in offset order; returns the events to commit with them. */
export type ChunkHandler = (messages: readonly WorkerMessage[], context: HandlerContext) => Promise<readonly Output[] | void>;
export type ConsumerHandler = { each: EachHandler } | { chunk: ChunkHandler };

export interface PartitionWorkerDependencies {
  kafka: Kafka;
  /** For committed offsets and watermarks. */
  admin: Admin;
  serde: Pick<RegistrySerde, 'decode'>;
  encoder: RecordEncoder;
  /** Produces the outputs of consumers that do not commit in transactions. */
  publisher: EventPublisher;
  logger: Logger;
  /** Prefix of the transactional ids of `transaction` consumers; default `workpipe-`. */
  transactionalIdPrefix?: string;
  /** Called once when the consumer gave up recovering; the service's entry point exits non-zero there. */
  onFatal?: (error: WorkerFailedError) => void;
  /** Longest a stop waits for messages in flight to finish, in milliseconds; default 10000. */
  drainTimeoutMs?: number;
}

/** Failures of one message (or chunk) before the worker restarts its consumer, for errors that are not marked retryable. */
export const MAX_HANDLER_FAILURES = 5;
/** Consumer restarts within {@link RESTART_WINDOW_MS} before the worker gives up. */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 5 * 60_000;
/** Tries of an assignment's set-up when Kafka answers a retriable error (backoff 200 ms doubling: ~6 s in all). */
export const SETUP_ATTEMPTS = 6;
/** Longest wait for a replaced consumer's disconnect, in milliseconds (a hung one never finishes). */
export const DISCONNECT_TIMEOUT_MS = 10_000;

interface PendingCommit {
  records: EncodedRecord[];
  /** The next offset to read once committed. */
  offset: bigint;
}

/** One assigned partition for one assignment. */
interface PartitionRun {
  readonly topic: string;
  readonly partition: number;
  readonly id: string;
  readonly window: PartitionWindow<KafkaMessage, EncodedRecord[]>;
  readonly abort: AbortController;
  pending?: PendingCommit;
  pausedForSpace: boolean;
  chunkRunning: boolean;
}

interface Failure {
  count: number;
  since: number;
  lastError: string;
}

/**
 * The one consumer loop of the project. A consumer is a handler plus a
 * {@link ConsumerSpec}; the worker owns the rest:
 *
 * - **Fetching and back-pressure**: each partition's fetched messages enter
 *   its window (bounded by `windowSize`); a full window pauses the partition.
 *   The kafkajs batch handler only admits messages, so no slow message holds
 *   a fetch (kafkajs waits for every batch of a fetch before the next one).
 * - **Order and concurrency**: one key's messages run in offset order, other
 *   keys go past a slow one, up to `concurrency` at once across partitions
 *   (`chunk` mode: one chunk per partition at a time).
 * - **Commits**: every `commitIntervalMs` and on revoke, never per message.
 *   The offset committed is the first unfinished one; outputs are committed
 *   with the offset that covers their message, in one transaction per
 *   partition for `transaction` consumers (see {@link PartitionProducers}).
 * - **Rebalances**: every assignment is a fresh start (kafkajs' eager
 *   protocol revokes everything): in-flight work is aborted, what is done is
 *   committed, and each assigned partition is claimed (transactions), its
 *   committed offset read and sought before it is resumed.
 * - **Poison**: a tombstone or an undecodable value goes to the rejected
 *   topic with its bytes and position, committed with its offset; the
 *   partition moves on. Outputs that cannot be produced are replaced (see
 *   `ConsumerSpec.replaceUnpublishable`) or set aside the same way.
 * - **Lost positions** (`external`): a handler that finds its store no longer
 *   holds its position throws `ResumePositionLostError`; every assigned
 *   partition is then set up again from `resumeAt`, as on an assignment.
 * - **Liveness**: a handler error marked retryable is retried with a backoff;
 *   another error, after {@link MAX_HANDLER_FAILURES} tries, or a kafkajs
 *   crash, restarts the consumer; after {@link MAX_RESTARTS} restarts within
 *   five minutes the worker fails and calls `onFatal`. A message handled or
 *   failing longer than `stuckAfterMs` makes the worker `stuck` (not ready).
 *   A consumer that has not fetched for `fetchStallMs` (kafkajs can stop
 *   fetching without a crash event) is restarted the same way.
 *
 * Round trips on the happy path of a `transaction` consumer, per commit
 * interval and partition with outputs: one transaction (kafkajs sends about
 * nine requests: coordinator lookups, AddPartitionsToTxn, Produce,
 * AddOffsetsToTxn, TxnOffsetCommit, EndTxn), whatever the number of
 * messages; per message: none. Partitions with nothing to output share one
 * OffsetCommit.
 */
export class PartitionWorker {
  readonly spec: ResolvedConsumerSpec;
  private consumer?: Consumer;
  private readonly runs = new Map<string, PartitionRun>();
  private readonly decoder: MessageDecoder;
  private readonly producers?: PartitionProducers;
  private readonly logger: Logger;
  private readonly failures = new Map<WindowEntry<KafkaMessage, EncodedRecord[]>, Failure>();
  private readonly runningSince = new Map<WindowEntry<KafkaMessage, EncodedRecord[]>, number>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlightCommits = new Set<Promise<void>>();
  private readonly restartTimes: number[] = [];
  private epoch = 0;
  private inFlight = 0;
  private rotation = 0;
  private state: WorkerState = 'starting';
  private detail?: string;
  private restarts = 0;
  private stopping = false;
  private recovering = false;
  private commitRound?: Promise<void>;
  private commitTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  /** When the current consumer last showed its fetch loop alive (a fetch started or ended, a rebalance began or ended). */
  private lastFetchAt = Date.now();
  private assigned: { topic: string; partition: number }[] = [];

  constructor(
    spec: ConsumerSpec,
    private readonly handler: ConsumerHandler,
    private readonly deps: PartitionWorkerDependencies,
  ) {
    this.spec = resolveConsumerSpec(spec);
    if (this.spec.mode === 'each' && !('each' in handler)) throw new RangeError(`consumer ${spec.name}: an each consumer needs an each handler`);
    if (this.spec.mode === 'chunk' && !('chunk' in handler)) throw new RangeError(`consumer ${spec.name}: a chunk consumer needs a chunk handler`);
    this.logger = deps.logger.child({ component: 'worker', consumer: spec.name });
    this.decoder = new MessageDecoder(deps.serde, spec.topics);
    if (this.spec.commit === 'transaction') {
      this.producers = new PartitionProducers(deps.kafka, deps.transactionalIdPrefix ?? 'workpipe-', spec.groupId, this.logger);
    }
  }

  health(): WorkerHealth {
    return {
      name: this.spec.name,
      state: this.state,
      detail: this.detail,
      partitions: [...this.runs.values()].map((run) => `${run.topic}/${run.partition}`),
      inFlight: this.inFlight,
      restarts: this.restarts,
    };
  }

  /**
   * Joins the group and resolves once the first assignment is set up (the
   * worker is `running`), or after `readyTimeoutMs` (default 60000) with the
   * worker still starting (readiness stays red until it runs).
   */
  async start(readyTimeoutMs = 60_000): Promise<void> {
    this.stopping = false;
    await this.startConsumerRetrying();
    this.watchdog = setInterval(() => this.checkLiveness(), Math.min(1_000, this.spec.stuckAfterMs, this.spec.fetchStallMs));
    this.watchdog.unref();
    const deadline = Date.now() + readyTimeoutMs;
    while (this.state === 'starting' && Date.now() < deadline) await sleep(20);
  }

  /**
   * Starts nothing new from now on and stops fetching (synchronous: called
   * the moment a stop is asked for, before anything else of the shutdown);
   * `stop` then drains, commits and leaves.
   */
  quiesce(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.pauseAll();
  }

  /**
   * Stops fetching, lets messages in flight finish (bounded by `drainTimeoutMs`,
   * then aborts them), commits what is done, leaves the group.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.quiesce();
    clearTimeout(this.commitTimer);
    clearInterval(this.watchdog);
    this.pauseAll();
    const deadline = Date.now() + (this.deps.drainTimeoutMs ?? 10_000);
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(20);
    for (const run of this.runs.values()) run.abort.abort(new Error('stopping'));
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await this.commitRound?.catch(() => undefined);
    await this.commitDone().catch((error: Error) => this.logger.warn({ err: error.message }, 'final commit failed; the work is done again after restart'));
    await this.disconnectWithin(this.consumer);
    this.runs.clear();
    await this.producers?.releaseAll();
    this.state = 'stopped';
    this.logger.info('consumer stopped');
  }

  // --- consumer lifecycle -------------------------------------------------

  /**
   * The first start: an error Kafka marks retriable (topics just created that a broker of a
   * cluster does not know yet, a coordinator still loading) is tried again, up to
   * {@link SETUP_ATTEMPTS} times, before it fails the service's start.
   */
  private async startConsumerRetrying(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startConsumer();
        return;
      } catch (error) {
        const failed = this.consumer;
        this.consumer = undefined;
        await this.disconnectWithin(failed);
        if (attempt >= SETUP_ATTEMPTS || !isKafkaRetriable(error) || this.stopping) throw error;
        this.logger.warn({ err: (error as Error).message, attempt }, 'starting the consumer failed; trying again');
        await sleep(200 * 2 ** (attempt - 1));
      }
    }
  }

  private async startConsumer(): Promise<void> {
    this.state = 'starting';
    const consumer = this.deps.kafka.consumer({
      groupId: this.spec.groupId,
      sessionTimeout: this.spec.sessionTimeoutMs,
      rebalanceTimeout: 60_000,
      heartbeatInterval: Math.max(1_000, Math.floor(this.spec.sessionTimeoutMs / 10)),
      maxWaitTimeInMs: this.spec.maxWaitTimeMs,
      minBytes: this.spec.minBytes,
      maxBytesPerPartition: this.spec.maxBytesPerPartition,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    this.lastFetchAt = Date.now();
    const alive = (): void => {
      if (consumer === this.consumer) this.lastFetchAt = Date.now();
    };
    for (const event of [consumer.events.FETCH_START, consumer.events.FETCH, consumer.events.REBALANCING, consumer.events.GROUP_JOIN]) consumer.on(event, alive);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssigned(consumer, payload.memberAssignment));
    consumer.on(consumer.events.REBALANCING, () => this.onRevoked(consumer, 'the group is rebalancing'));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload.error, payload.restart));
    await consumer.connect();
    await consumer.subscribe({ topics: this.spec.topics.map((subscription) => subscription.topic), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(consumer, payload),
    });
  }

  private onAssigned(consumer: Consumer, assignment: Record<string, number[]>): void {
    if (consumer !== this.consumer || this.stopping) return;
    this.revokeAll('reassigned');
    const epoch = ++this.epoch;
    const subscribed = new Set(this.spec.topics.map((subscription) => subscription.topic));
    this.assigned = Object.entries(assignment)
      .filter(([topic]) => subscribed.has(topic))
      .flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
    if (this.assigned.length > 0) consumer.pause(byTopic(this.assigned));
    this.state = this.recovering ? 'recovering' : 'starting';
    void this.setUpRetrying(consumer, epoch, this.assigned).catch((error: Error) => {
      if (epoch !== this.epoch || consumer !== this.consumer) return;
      void this.recover(`setting up the assigned partitions failed: ${error.message}`);
    });
  }

  /**
   * Sets an assignment up; an error Kafka marks retriable (a fresh topic whose
   * leader is not elected yet, a leader moving) is tried again in place, up to
   * {@link SETUP_ATTEMPTS} times, before it costs a consumer restart.
   */
  private async setUpRetrying(consumer: Consumer, epoch: number, partitions: { topic: string; partition: number }[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.setUp(consumer, epoch, partitions);
        return;
      } catch (error) {
        if (attempt >= SETUP_ATTEMPTS || !isKafkaRetriable(error) || epoch !== this.epoch || consumer !== this.consumer) throw error;
        this.logger.warn({ err: (error as Error).message, attempt }, 'setting up the assigned partitions failed; trying again');
        await sleep(200 * 2 ** (attempt - 1));
      }
    }
  }

  /** Claims (transactions), reads where each partition resumes, seeks, resumes. */
  private async setUp(consumer: Consumer, epoch: number, partitions: { topic: string; partition: number }[]): Promise<void> {
    await Promise.allSettled([...this.inFlightCommits]);
    if (this.producers) {
      // Every assignment claims afresh: a partition that moved away and back was claimed by someone else meanwhile.
      await this.producers.releaseAll();
      await inBatches(partitions, 16, ({ topic, partition }) => (this.producers as PartitionProducers).claim(topic, partition));
    }
    const positions = await this.resumePositions(partitions);
    if (epoch !== this.epoch || consumer !== this.consumer || this.stopping) return;
    for (const { topic, partition } of partitions) {
      const id = partitionKey(topic, partition);
      const start = positions.get(id) ?? 0n;
      const abort = new AbortController();
      // Every message in flight of the partition listens on it (up to `concurrency`): no leak warning.
      setMaxListeners(0, abort.signal);
      this.runs.set(id, {
        topic,
        partition,
        id,
        window: new PartitionWindow(start, this.spec.windowSize, this.spec.mode === 'chunk' ? 'none' : this.spec.ordering),
        abort,
        pausedForSpace: false,
        chunkRunning: false,
      });
      consumer.seek({ topic, partition, offset: start.toString() });
    }
    if (partitions.length > 0 && this.spec.commit === 'external') {
      // The group shows where the consumer really is (lag monitoring), even before anything new is read.
      await consumer
        .commitOffsets(partitions.map(({ topic, partition }) => ({ topic, partition, offset: (positions.get(partitionKey(topic, partition)) ?? 0n).toString() })))
        .catch((error: Error) => this.logger.debug({ err: error.message }, 'could not commit the resume positions'));
    }
    if (epoch !== this.epoch || consumer !== this.consumer || this.stopping) return;
    if (partitions.length > 0) consumer.resume(byTopic(partitions));
    this.recovering = false;
    this.state = 'running';
    this.detail = undefined;
    this.logger.info({ partitions: partitions.map(({ topic, partition }) => `${topic}/${partition}@${positions.get(partitionKey(topic, partition))}`) }, 'partitions assigned');
  }

  /** The next offset to read of each partition: committed (stable once claimed), or Redis' for `external`, else the log start. */
  private async resumePositions(partitions: readonly { topic: string; partition: number }[]): Promise<Map<string, bigint>> {
    const positions = new Map<string, bigint>();
    const topics = [...new Set(partitions.map(({ topic }) => topic))];
    for (const topic of topics) {
      const mine = partitions.filter((entry) => entry.topic === topic).map(({ partition }) => partition);
      const watermarks = await this.deps.admin.fetchTopicOffsets(topic);
      const low = new Map(watermarks.map((entry) => [entry.partition, BigInt(entry.low)]));
      let stored: Map<number, string>;
      if (this.spec.commit === 'external') {
        stored = await (this.spec.resumeAt as NonNullable<ConsumerSpec['resumeAt']>)(topic, mine);
      } else {
        // Stable (KIP-447): a transaction of the previous owner still being resolved is waited out, never read as not there.
        const [committed] = await this.deps.admin.fetchOffsets({ groupId: this.spec.groupId, topics: [topic], requireStable: true });
        stored = new Map((committed?.partitions ?? []).map((entry) => [entry.partition, entry.offset]));
      }
      for (const partition of mine) {
        const offset = stored.get(partition);
        const start = offset !== undefined && BigInt(offset) >= 0n ? BigInt(offset) : (low.get(partition) ?? 0n);
        positions.set(partitionKey(topic, partition), start < (low.get(partition) ?? 0n) ? (low.get(partition) as bigint) : start);
      }
    }
    return positions;
  }

  /** The store of an `external` consumer lost a position: every assigned partition starts again from where the store says now. */
  private reposition(reason: string): void {
    const consumer = this.consumer;
    if (!consumer || this.stopping || this.recovering) return;
    this.logger.warn({ reason }, 'resume positions lost: reading them again and seeking there');
    this.onAssigned(consumer, assignmentOf(this.assigned));
  }

  private onRevoked(consumer: Consumer, reason: string): void {
    if (consumer !== this.consumer) return;
    this.epoch++;
    this.revokeAll(reason);
  }

  /** Aborts in-flight work and commits what is done (a commit on revoke: safe, see the class comment), then forgets the partitions. */
  private revokeAll(reason: string): void {
    if (this.runs.size === 0) return;
    const runs = [...this.runs.values()];
    for (const run of runs) run.abort.abort(new Error(`partition revoked: ${reason}`));
    const commit = this.commitRuns(runs).catch((error: Error) => {
      this.logger.info({ err: error.message }, 'commit on revoke failed; the new owner does that work again');
    });
    this.track(commit);
    this.runs.clear();
    this.failures.clear();
    this.runningSince.clear();
  }

  private onCrash(consumer: Consumer, error: Error, willRestart: boolean): void {
    if (consumer !== this.consumer || this.stopping) return;
    this.logger.error({ err: error, willRestart }, 'kafkajs consumer crashed');
    this.epoch++;
    this.revokeAll('consumer crashed');
    if (willRestart) {
      this.state = 'recovering';
      this.detail = `consumer crashed (${error.message}); kafkajs restarts it`;
      this.restarts++;
      return;
    }
    void this.recover(`consumer crashed: ${error.message}`);
  }

  /** Restarts the consumer: rejoins the group and resumes from the committed offsets. Gives up after too many restarts. */
  private async recover(reason: string): Promise<void> {
    if (this.recovering || this.stopping) return;
    this.recovering = true;
    this.state = 'recovering';
    this.detail = reason;
    const now = Date.now();
    while (this.restartTimes.length > 0 && (this.restartTimes[0] as number) < now - RESTART_WINDOW_MS) this.restartTimes.shift();
    if (this.restartTimes.length >= MAX_RESTARTS) {
      this.state = 'failed';
      const error = new WorkerFailedError(this.spec.name, `${MAX_RESTARTS} restarts within ${RESTART_WINDOW_MS / 60_000} minutes; last: ${reason}`);
      this.logger.fatal({ err: error }, 'consumer cannot recover');
      clearTimeout(this.commitTimer);
      clearInterval(this.watchdog);
      this.revokeAll('the consumer failed');
      const consumer = this.consumer;
      this.consumer = undefined;
      this.assigned = [];
      await this.disconnectWithin(consumer);
      this.deps.onFatal?.(error);
      return;
    }
    this.restartTimes.push(now);
    this.restarts++;
    this.logger.error({ reason, restart: this.restarts }, 'restarting the consumer');
    this.epoch++;
    this.revokeAll('restarting');
    const consumer = this.consumer;
    this.consumer = undefined;
    this.assigned = [];
    await Promise.allSettled([...this.inFlightCommits]);
    await this.disconnectWithin(consumer);
    await sleep(500 * 2 ** (this.restartTimes.length - 1));
    if (this.stopping) return;
    try {
      await this.startConsumer();
    } catch (error) {
      this.recovering = false;
      void this.recover(`restart failed: ${(error as Error).message}`);
    }
  }

  // --- fetching -----------------------------------------------------------

  private async onBatch(consumer: Consumer, { batch, resolveOffset, pause, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const run = this.runs.get(partitionKey(batch.topic, batch.partition));
    if (consumer !== this.consumer || !run || this.stopping || !isRunning() || isStale()) return;
    let last: string | undefined;
    for (const message of batch.messages) {
      if (!run.window.admit(BigInt(message.offset), message.key?.toString() ?? '', message)) break;
      last = message.offset;
    }
    // The fetch position moves past what was admitted; the rest is fetched again once there is room.
    if (last !== undefined) resolveOffset(last);
    if (run.window.isFull) {
      pause();
      run.pausedForSpace = true;
      this.commitSoon();
    }
    this.pump();
  }

  private pauseAll(): void {
    if (this.consumer && this.assigned.length > 0) this.consumer.pause(byTopic(this.assigned));
  }

  // --- handling -----------------------------------------------------------

  /** Starts what may start, partitions taken in turn, up to `concurrency`. */
  private pump(): void {
    if (this.stopping || this.recovering) return;
    const runs = [...this.runs.values()];
    let idle = 0;
    while (this.inFlight < this.spec.concurrency && runs.length > 0 && idle < runs.length) {
      const run = runs[this.rotation++ % runs.length] as PartitionRun;
      if (this.spec.mode === 'each') {
        const entry = run.window.startNext();
        if (!entry) {
          idle++;
          continue;
        }
        idle = 0;
        this.inFlight++;
        void this.handleEach(run, entry);
      } else {
        if (run.chunkRunning || run.window.runnableCount === 0) {
          idle++;
          continue;
        }
        idle = 0;
        const entries: WindowEntry<KafkaMessage, EncodedRecord[]>[] = [];
        for (let entry = run.window.startNext(); entry; entry = entries.length < this.spec.chunkSize ? run.window.startNext() : undefined) {
          entries.push(entry);
        }
        run.chunkRunning = true;
        this.inFlight++;
        void this.handleChunk(run, entries);
      }
    }
  }

  private async handleEach(run: PartitionRun, entry: WindowEntry<KafkaMessage, EncodedRecord[]>): Promise<void> {
    this.runningSince.set(entry, Date.now());
    try {
      const records = await this.recordsOf(run, entry.message);
      if (!this.owns(run)) return;
      run.window.finish(entry, records);
      this.failures.delete(entry);
    } catch (error) {
      if (this.owns(run)) this.onHandlerError(run, [entry], error);
    } finally {
      this.runningSince.delete(entry);
      this.inFlight--;
      this.afterHandling(run);
    }
  }

  private async handleChunk(run: PartitionRun, entries: WindowEntry<KafkaMessage, EncodedRecord[]>[]): Promise<void> {
    const first = entries[0] as WindowEntry<KafkaMessage, EncodedRecord[]>;
    this.runningSince.set(first, Date.now());
    try {
      const decoded: WorkerMessage[] = [];
      const rejections: Output[] = [];
      for (const entry of entries) {
        const outcome = await this.decoder.decode(run.topic, run.partition, entry.message);
        if (outcome.ok) decoded.push(outcome.message);
        else rejections.push(this.rejection(run, entry.message, outcome.headers, outcome.reason));
      }
      const outputs = decoded.length > 0 ? ((await (this.handler as { chunk: ChunkHandler }).chunk(decoded, { signal: run.abort.signal })) ?? []) : [];
      const records = await this.encodeAll([...rejections, ...outputs]);
      if (!this.owns(run)) return;
      // All of the chunk's records go with its last offset: they are committed together.
      entries.forEach((entry, index) => run.window.finish(entry, index === entries.length - 1 ? records : []));
      this.failures.delete(first);
    } catch (error) {
      if (this.owns(run)) this.onHandlerError(run, entries, error);
    } finally {
      this.runningSince.delete(first);
      run.chunkRunning = false;
      this.inFlight--;
      this.afterHandling(run);
    }
  }

  private afterHandling(run: PartitionRun): void {
    if (this.owns(run)) {
      if (run.window.isFull) this.commitSoon();
      else this.commitWithin();
    }
    this.pump();
  }

  /** Arms the commit timer (one `commitIntervalMs` from the first work done since the last commit): no timer while idle. */
  private commitWithin(): void {
    if (this.commitTimer || this.stopping) return;
    this.commitTimer = setTimeout(() => {
      this.commitTimer = undefined;
      this.commitSoon();
    }, this.spec.commitIntervalMs);
  }

  /** The records a message's handling produces: its outputs, a replacement when they cannot be produced, or its rejection. */
  private async recordsOf(run: PartitionRun, raw: KafkaMessage): Promise<EncodedRecord[]> {
    const decoded = await this.decoder.decode(run.topic, run.partition, raw);
    if (!decoded.ok) return this.encodeAll([this.rejection(run, raw, decoded.headers, decoded.reason)]);
    const outputs = (await (this.handler as { each: EachHandler }).each(decoded.message, { signal: run.abort.signal })) ?? [];
    try {
      return await this.encodeAll(outputs);
    } catch (error) {
      if (!(error instanceof RecordTooLargeError || error instanceof PayloadValidationError)) throw error;
      this.logger.warn({ ...position(run, raw), err: error.message }, 'outputs cannot be produced; replaced');
      const replacement = this.spec.replaceUnpublishable?.(decoded.message, error);
      if (replacement) {
        try {
          return await this.encodeAll(replacement);
        } catch (second) {
          if (!(second instanceof RecordTooLargeError || second instanceof PayloadValidationError)) throw second;
        }
      }
      return this.encodeAll([this.rejection(run, raw, decoded.message.headers, `its outputs cannot be produced: ${error.message}`)]);
    }
  }

  private rejection(run: PartitionRun, raw: KafkaMessage, headers: Record<string, string>, reason: string): Output {
    this.logger.warn({ ...position(run, raw), reason }, 'message set aside to the rejected topic');
    return rejectionOutput(this.spec.rejectedTopic, run.topic, run.partition, raw, headers, reason);
  }

  private async encodeAll(outputs: readonly Output[]): Promise<EncodedRecord[]> {
    const records: EncodedRecord[] = [];
    for (const { topic, contract, event } of outputs) records.push(...(await this.deps.encoder.encode(topic, contract, [event])));
    return records;
  }

  private onHandlerError(run: PartitionRun, entries: WindowEntry<KafkaMessage, EncodedRecord[]>[], error: unknown): void {
    if (error instanceof ResumePositionLostError) {
      this.reposition(`${run.topic}/${run.partition}: ${error.message}`);
      return;
    }
    const first = entries[0] as WindowEntry<KafkaMessage, EncodedRecord[]>;
    const failure = this.failures.get(first) ?? { count: 0, since: Date.now(), lastError: '' };
    failure.count++;
    failure.lastError = (error as Error)?.message ?? String(error);
    this.failures.set(first, failure);
    const retryable = isRetryable(error);
    const where = { ...position(run, first.message), failures: failure.count, retryable };
    if (!retryable && failure.count >= MAX_HANDLER_FAILURES) {
      this.logger.error({ ...where, err: error }, 'handling keeps failing; restarting the consumer');
      void this.recover(`${run.topic}/${run.partition} offset ${first.offset} failed ${failure.count} times: ${failure.lastError}`);
      return;
    }
    if (failure.count === 1 || failure.count % 10 === 0) this.logger[retryable ? 'warn' : 'error']({ ...where, err: error }, 'handling failed; trying again');
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (!this.owns(run)) return;
      for (const entry of [...entries].reverse()) if (entry.state === 'running') run.window.retry(entry);
      this.pump();
    }, Math.min(5_000, 100 * 2 ** Math.min(failure.count - 1, 6)));
    this.retryTimers.add(timer);
  }

  private owns(run: PartitionRun): boolean {
    return this.runs.get(run.id) === run && !run.abort.signal.aborted;
  }

  /**
   * Disconnects a consumer being replaced, bounded: a consumer whose fetch
   * loop hangs never finishes its disconnect. It sends no heartbeat either, so
   * the group drops it after the session timeout.
   */
  private async disconnectWithin(consumer: Consumer | undefined, ms = DISCONNECT_TIMEOUT_MS): Promise<void> {
    if (!consumer) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
      timer.unref();
    });
    const outcome = await Promise.race([consumer.disconnect().then(() => 'done' as const, () => 'done' as const), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.logger.warn({ timeoutMs: ms }, 'the replaced consumer did not disconnect in time; left to the session timeout');
  }

  private checkLiveness(): void {
    if (this.stopping || this.recovering || !this.consumer) return;
    if (this.state === 'stopped' || this.state === 'failed') return;
    const silentMs = Date.now() - this.lastFetchAt;
    if (silentMs > this.spec.fetchStallMs) {
      this.logger.error({ silentMs, state: this.state }, 'consumer stopped fetching');
      void this.recover(`no fetch for ${silentMs} ms (the consumer stopped fetching without failing)`);
      return;
    }
    this.checkStuck();
  }

  private checkStuck(): void {
    if (this.state !== 'running' && this.state !== 'stuck') return;
    const now = Date.now();
    let problem: string | undefined;
    for (const [entry, since] of this.runningSince) {
      if (now - since > this.spec.stuckAfterMs) problem = `offset ${entry.offset} handled for ${now - since} ms`;
    }
    for (const [entry, failure] of this.failures) {
      if (now - failure.since > this.spec.stuckAfterMs) problem = `offset ${entry.offset} failing for ${now - failure.since} ms: ${failure.lastError}`;
    }
    if (problem && this.state === 'running') {
      this.state = 'stuck';
      this.detail = problem;
      this.logger.error({ problem }, 'consumer stuck');
    } else if (!problem && this.state === 'stuck') {
      this.state = 'running';
      this.detail = undefined;
      this.logger.info('consumer no longer stuck');
    }
  }

  // --- commits --------------------------------------------------------------

  /** Starts a commit round unless one is running. */
  private commitSoon(): void {
    if (this.commitRound || this.runs.size === 0) return;
    const round = this.commitDone()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'commit failed; trying again'))
      .finally(() => {
        if (this.commitRound === round) this.commitRound = undefined;
        // Work finished (or a commit failed) meanwhile: its commit is due one interval later.
        if ([...this.runs.values()].some((run) => run.pending || run.window.watermark() > run.window.committedThrough)) this.commitWithin();
      });
    this.commitRound = round;
    this.track(round);
  }

  private commitDone(): Promise<void> {
    return this.commitRuns([...this.runs.values()]);
  }

  /**
   * Commits each run's done prefix: a transaction per partition with outputs
   * (`transaction`), or the outputs published then the offsets (otherwise);
   * the partitions with nothing to output share one OffsetCommit.
   */
  private async commitRuns(runs: readonly PartitionRun[]): Promise<void> {
    const consumer = this.consumer;
    for (const run of runs) {
      if (run.pending) continue;
      const taken = run.window.takeCommittable();
      if (taken) run.pending = { records: taken.results.flat(), offset: taken.commitOffset };
    }
    const due = runs.filter((run) => run.pending);
    if (due.length === 0) return;
    const plain: PartitionRun[] = [];
    const transactional: PartitionRun[] = [];
    for (const run of due) {
      if (this.producers && (run.pending as PendingCommit).records.length > 0) transactional.push(run);
      else plain.push(run);
    }
    const failures: unknown[] = [];
    await Promise.all(
      transactional.map((run) =>
        this.commitTransaction(run).catch((error: unknown) => {
          failures.push(error);
        }),
      ),
    );
    if (plain.length > 0 && consumer) {
      const records = plain.flatMap((run) => (run.pending as PendingCommit).records);
      try {
        if (records.length > 0) await this.deps.publisher.send(records);
        // Published: if the offset commit fails, only the commit is tried again.
        for (const run of plain) run.pending = { records: [], offset: (run.pending as PendingCommit).offset };
        await consumer.commitOffsets(
          plain.map((run) => ({ topic: run.topic, partition: run.partition, offset: (run.pending as PendingCommit).offset.toString() })),
        );
        for (const run of plain) this.committed(run);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  private async commitTransaction(run: PartitionRun): Promise<void> {
    const producers = this.producers as PartitionProducers;
    const pending = run.pending as PendingCommit;
    try {
      await producers.commit(run.topic, run.partition, pending.records, pending.offset);
      this.committed(run);
    } catch (error) {
      if (error instanceof ProducerFencedError) {
        if (this.runs.get(run.id) === run) void this.recover(`transactions of ${run.topic}/${run.partition} were fenced: ${error.message}`);
        throw error;
      }
      // The outcome of a failed EndTxn is unknown: claim again (which finishes what is open), then
      // read the committed offset to learn whether this transaction went through.
      if (this.runs.get(run.id) !== run) throw error;
      let offset: string | undefined;
      try {
        await producers.claim(run.topic, run.partition);
        // Stable: the transaction just resolved by the claim may not show in a plain read yet.
        const [committed] = await this.deps.admin.fetchOffsets({ groupId: this.spec.groupId, topics: [run.topic], requireStable: true });
        offset = committed?.partitions.find((entry) => entry.partition === run.partition)?.offset;
      } catch (checkError) {
        // Whether the transaction went through cannot be told now, and sending its records again
        // could write them twice: the partition is dropped (its pending commit with it) and the
        // consumer restarts, which claims again and resumes from what Kafka says is committed.
        this.runs.delete(run.id);
        run.pending = undefined;
        run.abort.abort(new Error(`the outcome of a failed commit of ${run.topic}/${run.partition} is unknown`));
        void this.recover(`the outcome of a failed commit of ${run.topic}/${run.partition} is unknown: ${(checkError as Error).message}`);
        throw error;
      }
      if (offset !== undefined && BigInt(offset) >= pending.offset) {
        this.committed(run);
        return;
      }
      // Not committed, and the claim aborted whatever was left open: sending the records again is safe.
      throw error;
    }
  }

  private committed(run: PartitionRun): void {
    run.pending = undefined;
    if (run.pausedForSpace && !run.window.isFull && this.owns(run) && this.consumer && !this.stopping) {
      run.pausedForSpace = false;
      this.consumer.resume([{ topic: run.topic, partitions: [run.partition] }]);
    }
  }

  private track(commit: Promise<void>): void {
    this.inFlightCommits.add(commit);
    void commit.finally(() => this.inFlightCommits.delete(commit));
  }
}

/** Redis replies that pass with time (a loading or busy server, a failover); any other reply error is a bug. */
const TRANSIENT_REDIS_REPLY = /^(LOADING|BUSY|TRYAGAIN|READONLY|MASTERDOWN|CLUSTERDOWN|NOSCRIPT)\b/;

/** Retry unless the error says it cannot pass, or is a programming error (ours, or a script's). */
function isRetryable(error: unknown): boolean {
  const flags = error as { retryable?: unknown; retriable?: unknown; name?: unknown; message?: unknown };
  if (flags?.retryable === false || flags?.retriable === false) return false;
  if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError || error instanceof ReferenceError) return false;
  if (flags?.name === 'ReplyError') return TRANSIENT_REDIS_REPLY.test(String(flags.message));
  return true;
}

/** Kafka says the error passes with time (kafkajs' `retriable`, on the error or a cause). */
function isKafkaRetriable(error: unknown): boolean {
  for (let current = error as { retriable?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 4; current = current.cause as typeof current, depth++) {
    if (current.retriable === true) return true;
  }
  return false;
}

function byTopic(partitions: readonly { topic: string; partition: number }[]): { topic: string; partitions: number[] }[] {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of partitions) grouped.set(topic, [...(grouped.get(topic) ?? []), partition]);
  return [...grouped].map(([topic, list]) => ({ topic, partitions: list }));
}

function assignmentOf(partitions: readonly { topic: string; partition: number }[]): Record<string, number[]> {
  return Object.fromEntries(byTopic(partitions).map(({ topic, partitions: list }) => [topic, list]));
}

function position(run: PartitionRun, raw: KafkaMessage): { topic: string; partition: number; offset: string } {
  return { topic: run.topic, partition: run.partition, offset: raw.offset };
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(work));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
