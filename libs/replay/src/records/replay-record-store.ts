import type Redis from 'ioredis';
import { z } from 'zod';
import { OperationsApi, ReplayRequest } from '@workpipe/contracts';
import type { ReplayKeys } from './replay-keys';
import { EMPTY_COUNTS, REPLAY_RECORD_RETENTION_MS, type ReplayRecord, type RunRecord } from './replay-record';

/** HSET + PEXPIRE + index, only if the record does not exist, atomically. KEYS: record, index; ARGV: ttl, id, createdAt ms, field/value pairs. */
const CREATE_IF_ABSENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1`;

const COUNT_FIELDS = Object.keys(OperationsApi.ReplayCountsSchema.shape) as (keyof OperationsApi.ReplayCounts)[];
const count = z.coerce.number().int().nonnegative().default(0);
const json = <S extends z.ZodType>(schema: S) =>
  z.string().transform((text, context): z.output<S> => {
    try {
      return schema.parse(JSON.parse(text));
    } catch (error) {
      context.addIssue({ code: 'custom', message: `not valid: ${(error as Error).message}` });
      return z.NEVER;
    }
  });

/** The hash as stored: every field a string, readable with `redis-cli HGETALL`. */
const StoredRecordSchema = z.object({
  replayId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: OperationsApi.ReplayStateSchema,
  phase: z.union([OperationsApi.ReplayPhaseSchema, z.literal('')]).default(''),
  runs: z.coerce.number().int().nonnegative(),
  requestedBy: json(ReplayRequest.RequesterSchema),
  selection: json(OperationsApi.ResolvedSelectionSchema),
  selectionText: z.string(),
  ...Object.fromEntries(COUNT_FIELDS.map((field) => [field, count])),
  runStartedAt: z.string(),
  runEndedAt: z.string().optional(),
  runPacing: json(OperationsApi.PacingSchema),
  runRepublished: count,
  runEarlier: count,
  runRemaining: count,
  runUndecodable: json(z.array(z.string())).optional(),
  runError: z.string().optional(),
  candidates: json(OperationsApi.RetryCandidatesSchema).optional(),
  chosen: z.string().optional(),
  recovered: count,
  failedAgain: count,
  cancelRequested: z.string().optional(),
});

/** The latest run's fields to write. */
export interface RunUpdate {
  counts: OperationsApi.ReplayCounts;
  earlier: number;
  remaining: number;
  undecodable: readonly string[];
}

/**
 * Replay records in Redis: `replay:<id>`, a hash of the state, the selection
 * (JSON), one field per count and the latest run's fields; `republished`,
 * `recovered` and `failedAgain` are moved by the ledger and outcome scripts
 * (HINCRBY), everything else by the run that holds the lease. The record and
 * every list of the replay expire {@link REPLAY_RECORD_RETENTION_MS} after the
 * last change; the index `replay:_index` lists ids by creation.
 */
export class ReplayRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ReplayKeys,
  ) {}

  /** Creates the record; false (and nothing written) when the id is taken. */
  async create(record: ReplayRecord): Promise<boolean> {
    const fields = { ...this.fieldsOf(record), republished: '0', recovered: '0', failedAgain: '0' };
    const created = await this.redis.eval(
      CREATE_IF_ABSENT,
      2,
      this.keys.record(record.replayId),
      this.keys.index(),
      String(REPLAY_RECORD_RETENTION_MS),
      record.replayId,
      String(Date.parse(record.createdAt)),
      ...Object.entries(fields).flat(),
    );
    return created === 1;
  }

  async get(replayId: string): Promise<ReplayRecord | undefined> {
    const fields = await this.redis.hgetall(this.keys.record(replayId));
    if (Object.keys(fields).length === 0) return undefined;
    const stored = StoredRecordSchema.parse(fields) as z.infer<typeof StoredRecordSchema> & Record<keyof OperationsApi.ReplayCounts, number>;
    const counts = Object.fromEntries(COUNT_FIELDS.map((field) => [field, stored[field]])) as OperationsApi.ReplayCounts;
    const lastRun: RunRecord = {
      run: stored.runs,
      startedAt: stored.runStartedAt,
      ...(stored.runEndedAt ? { endedAt: stored.runEndedAt } : {}),
      pacing: stored.runPacing,
      counts: { ...counts, republished: stored.runRepublished },
      earlier: stored.runEarlier,
      remaining: stored.runRemaining,
      undecodable: stored.runUndecodable ?? [],
      ...(stored.runError ? { error: stored.runError } : {}),
    };
    return {
      replayId: stored.replayId,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
      state: stored.state,
      ...(stored.phase === '' ? {} : { phase: stored.phase }),
      runs: stored.runs,
      requestedBy: stored.requestedBy,
      selection: stored.selection,
      selectionText: stored.selectionText,
      counts,
      lastRun,
      ...(stored.candidates ? { candidates: stored.candidates } : {}),
      chosen: stored.chosen === '1',
      recovered: stored.recovered,
      failedAgain: stored.failedAgain,
      cancelRequested: stored.cancelRequested === '1',
    };
  }

  /** Starts a run: state running, the run number, its pacing, its counts at zero. */
  async startRun(replayId: string, run: number, pacing: RunRecord['pacing'], now: Date): Promise<void> {
    await this.write(replayId, now, {
      state: 'running',
      phase: 'selecting',
      runs: String(run),
      runStartedAt: now.toISOString(),
      runEndedAt: '',
      runPacing: JSON.stringify(pacing),
      runRepublished: '0',
      runEarlier: '0',
      runRemaining: '0',
      runUndecodable: '[]',
      runError: '',
    });
  }

  /** The run's counts so far (progress), and its step. */
  async updateRun(replayId: string, update: RunUpdate & { phase?: OperationsApi.ReplayPhase }, now: Date): Promise<void> {
    await this.write(replayId, now, { ...(update.phase ? { phase: update.phase } : {}), ...this.runFields(update) });
  }

  /** Ends the run in `state` (complete, trial, interrupted, cancelled). */
  async endRun(replayId: string, state: OperationsApi.ReplayState, update: RunUpdate & { error?: string }, now: Date): Promise<void> {
    await this.write(replayId, now, { state, phase: '', runEndedAt: now.toISOString(), runError: update.error ?? '', ...this.runFields(update) });
  }

  /** Marks the selection's index (or retry-failures' chosen set) as built, with retry-failures' candidates. */
  async setChosen(replayId: string, candidates: OperationsApi.RetryCandidates | undefined, now: Date): Promise<void> {
    await this.write(replayId, now, { chosen: '1', ...(candidates ? { candidates: JSON.stringify(candidates) } : {}) });
  }

  /** Asks the replay to stop: a run checks it before each batch and ends `cancelled`; a later continue is refused. */
  async requestCancel(replayId: string, now: Date): Promise<void> {
    await this.write(replayId, now, { cancelRequested: '1' });
  }

  async cancelRequested(replayId: string): Promise<boolean> {
    return (await this.redis.hget(this.keys.record(replayId), 'cancelRequested')) === '1';
  }

  async setState(replayId: string, state: OperationsApi.ReplayState, now: Date): Promise<void> {
    await this.write(replayId, now, { state, phase: '' });
  }

  /** Appends a request event to the replay's list (oldest first). */
  async addRequest(replayId: string, event: ReplayRequest.Value): Promise<void> {
    const key = this.keys.of(replayId, 'requests');
    await this.redis.multi().rpush(key, JSON.stringify(event)).pexpire(key, REPLAY_RECORD_RETENTION_MS).exec();
  }

  async requests(replayId: string): Promise<ReplayRequest.Value[]> {
    const entries = await this.redis.lrange(this.keys.of(replayId, 'requests'), 0, -1);
    return entries.map((entry) => ReplayRequest.Schema.parse(JSON.parse(entry)));
  }

  /** Replay ids, newest first, with the total (ids whose record expired are dropped from the index on the way). */
  async list(offset: number, limit: number): Promise<{ total: number; records: ReplayRecord[] }> {
    const index = this.keys.index();
    const ids = await this.redis.zrevrange(index, offset, offset + limit - 1);
    const records: ReplayRecord[] = [];
    const gone: string[] = [];
    for (const id of ids) {
      const record = await this.get(id);
      if (record) records.push(record);
      else gone.push(id);
    }
    if (gone.length > 0) await this.redis.zrem(index, ...gone);
    return { total: (await this.redis.zcard(index)) as number, records };
  }

  /** Ids of replays recorded as running (to resume those whose process died). */
  async runningIds(limit = 1000): Promise<string[]> {
    const ids = await this.redis.zrevrange(this.keys.index(), 0, limit - 1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.record(id), 'state');
    const replies = (await pipeline.exec()) ?? [];
    return ids.filter((_, index) => replies[index]?.[1] === 'running');
  }

  /** Takes the replay's lease for `owner` for `ttlMs`; false when another instance holds it. */
  async acquireLease(replayId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.of(replayId, 'lease'), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Extends the lease while `owner` holds it; false when it was lost. */
  async renewLease(replayId: string, owner: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end",
      1,
      this.keys.of(replayId, 'lease'),
      owner,
      String(ttlMs),
    );
    return renewed === 1;
  }

  async releaseLease(replayId: string, owner: string): Promise<void> {
    await this.redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end", 1, this.keys.of(replayId, 'lease'), owner);
  }

  private runFields(update: RunUpdate): Record<string, string> {
    const { republished: runRepublished, ...counts } = update.counts;
    return {
      ...Object.fromEntries(Object.entries(counts).map(([field, value]) => [field, String(value)])),
      runRepublished: String(runRepublished),
      runEarlier: String(update.earlier),
      runRemaining: String(update.remaining),
      runUndecodable: JSON.stringify(update.undecodable),
    };
  }

  /** HSET on the record, and every key of the replay kept another retention period. */
  private async write(replayId: string, now: Date, fields: Record<string, string>): Promise<void> {
    const multi = this.redis.multi().hset(this.keys.record(replayId), { ...fields, updatedAt: now.toISOString() });
    multi.pexpire(this.keys.record(replayId), REPLAY_RECORD_RETENTION_MS);
    for (const part of ['requests', 'latest', 'chosen', 'items', 'pending', 'failing', 'failures'] as const) {
      multi.pexpire(this.keys.of(replayId, part), REPLAY_RECORD_RETENTION_MS);
    }
    await multi.exec();
  }

  private fieldsOf(record: ReplayRecord): Record<string, string> {
    const { republished: _total, ...counts } = record.counts;
    return {
      replayId: record.replayId,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      state: record.state,
      phase: record.phase ?? '',
      runs: String(record.runs),
      requestedBy: JSON.stringify(record.requestedBy),
      selection: JSON.stringify(record.selection),
      selectionText: record.selectionText,
      ...Object.fromEntries(Object.entries({ ...EMPTY_COUNTS, ...counts }).filter(([field]) => field !== 'republished').map(([field, value]) => [field, String(value)])),
      runStartedAt: record.lastRun.startedAt,
      runPacing: JSON.stringify(record.lastRun.pacing),
      runRepublished: '0',
      runEarlier: '0',
      runRemaining: '0',
      runUndecodable: '[]',
    };
  }
}
