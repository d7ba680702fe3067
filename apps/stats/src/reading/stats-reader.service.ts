import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  buildStatsView,
  failureIndexName,
  seriesFields,
  toMinutePoints,
  windowMinutes,
  type AlertMetrics,
  type DurationSummary,
  type FailureStatus,
  type MinutePoint,
  type ScopeAnswer,
  type ScopeSnapshot,
  type StatsView,
} from '@workpipe/stats-model';
import { InjectRedis } from '@workpipe/runtime';
import { StatsKeys } from '../redis/stats-keys';
import { FAILURE_FIELDS, failureRecordOf, type FailureRecord } from './failure-record';
import { itemStateOf, successAtOf, type ItemState } from './item-state';
import { READ_SCOPE_LUA } from './read-scope.lua';

const COMMAND = 'workpipeStatsReadScope';
type WithReadScope = { [COMMAND](base: string): Promise<unknown> };

export type { ScopeAnswer };

export interface FailureFilter {
  type?: string;
  status?: FailureStatus;
  /** Only abandoned items given up for this reason (e.g. `MAX_ATTEMPTS`). */
  reason?: string;
  /** Only failures whose first failure is at least this old, in minutes. */
  olderThanMinutes?: number;
  batchId?: string;
}

export interface FailurePage {
  total: number;
  offset: number;
  limit: number;
  items: FailureRecord[];
}

/** Reads the materialized stats from Redis; never writes. */
@Injectable()
export class StatsReader {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: StatsKeys,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 0, lua: READ_SCOPE_LUA });
  }

  /** The raw snapshot of a scope; undefined for a batch nothing is known of. */
  async snapshot(batchId?: string): Promise<ScopeSnapshot | undefined> {
    const reply = (await (this.redis as unknown as WithReadScope)[COMMAND](this.keys.scope(batchId))) as [
      string[],
      SummaryReply,
      SummaryReply,
      string,
      string,
      string,
    ];
    const [flat, tts, waits, oldestPending, oldestRetryable, oldestFailure] = reply;
    if (batchId !== undefined && flat.length === 0) return undefined;
    const counters: Record<string, number> = {};
    for (let i = 0; i < flat.length; i += 2) {
      const value = Number(flat[i + 1]);
      if (value !== 0) counters[flat[i] as string] = value;
    }
    return {
      counters,
      timeToSuccessMs: summaryOf(tts),
      retryWaitMs: summaryOf(waits),
      oldestPendingCreatedAtMs: oldestPending === '' ? null : Number(oldestPending),
      oldestRetryableFailureAtMs: oldestRetryable === '' ? null : Number(oldestRetryable),
      oldestFailureAtMs: oldestFailure === '' ? null : Number(oldestFailure),
    };
  }

  /**
   * A scope's numbers with its series: for a batch, every minute from its first
   * to its last event; overall, the last `minutes` minutes.
   */
  async answer(batchId: string | undefined, options: { minutes: number; nowMs: number }): Promise<ScopeAnswer | undefined> {
    const snapshot = await this.snapshot(batchId);
    if (!snapshot) return undefined;
    const series = batchId === undefined ? await this.recentSeries(options.nowMs, options.minutes) : await this.fullSeries(batchId);
    const view = buildStatsView(snapshot);
    const age = (iso: string | null) => (iso === null ? null : Math.max(0, options.nowMs - Date.parse(iso)));
    return {
      scope: batchId === undefined ? { kind: 'overall' } : { kind: 'batch', batchId },
      ...view,
      oldestPendingAgeMs: age(view.oldestPendingItemAt),
      oldestRetryableFailureAgeMs: age(view.failures.oldestRetryableFailureAt),
      oldestFailureAgeMs: age(view.failures.oldestFailureAt),
      series,
      asOf: new Date(options.nowMs).toISOString(),
    };
  }

  async fullSeries(batchId?: string): Promise<MinutePoint[]> {
    const raw = await this.redis.hgetall(this.keys.series(batchId));
    return toMinutePoints(numbers(raw));
  }

  async recentSeries(nowMs: number, minutes: number, batchId?: string): Promise<MinutePoint[]> {
    const { fromMinute, toMinute } = windowMinutes(nowMs, minutes);
    const fields = seriesFields(fromMinute, toMinute);
    const values = await this.redis.hmget(this.keys.series(batchId), ...fields);
    const raw: Record<string, number> = {};
    fields.forEach((field, i) => {
      const value = values[i];
      if (value) raw[field] = Number(value);
    });
    return toMinutePoints(raw, { fromMinute, toMinute });
  }

  /** Batch ids known, oldest first (by their earliest item). */
  async batchIds(): Promise<string[]> {
    return this.redis.zrange(this.keys.batches(), 0, -1);
  }

  /** Failures oldest first (by first failure), filtered and paged. `reason` implies abandoned (the query schema refuses it with `retryable`). */
  async failures(filter: FailureFilter, page: { offset: number; limit: number }, nowMs: number): Promise<FailurePage> {
    // Each filter combination has its own sorted set, so the page and its total are exact without reading other rows.
    const key = this.keys.zset(failureIndexName(filter), filter.batchId);
    const max = filter.olderThanMinutes === undefined ? '+inf' : String(nowMs - filter.olderThanMinutes * 60_000);
    const [total, ids] = await Promise.all([
      this.redis.zcount(key, '-inf', max),
      this.redis.zrangebyscore(key, '-inf', max, 'LIMIT', page.offset, page.limit),
    ]);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.keys.item(id), ...FAILURE_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    const items: FailureRecord[] = [];
    for (const [error, values] of replies) {
      if (error) throw error;
      const record = failureRecordOf(values as (string | null)[]);
      if (record) items.push(record);
    }
    return { total, offset: page.offset, limit: page.limit, items };
  }

  /** One item's materialized state; undefined when nothing of it was seen. */
  async item(itemId: string): Promise<ItemState | undefined> {
    return itemStateOf(itemId, await this.redis.hgetall(this.keys.item(itemId)));
  }

  /** Per item, in order: when it succeeded (the success that counts, epoch ms), or undefined. One pipeline. */
  async successTimes(itemIds: readonly string[]): Promise<(number | undefined)[]> {
    if (itemIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const itemId of itemIds) pipeline.hmget(this.keys.item(itemId), 'sc', 'sa');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, values]) => {
      if (error) throw error;
      const [successes, at] = values as (string | null)[];
      return successAtOf(successes ?? null, at ?? null);
    });
  }

  /** What the alert rules look at, overall. */
  async alertMetrics(nowMs: number, windowMinutesCount: number): Promise<AlertMetrics> {
    const snapshot = (await this.snapshot()) as ScopeSnapshot;
    const points = await this.recentSeries(nowMs, windowMinutesCount);
    const c = snapshot.counters;
    return {
      nowMs,
      succeeded: c.succeeded ?? 0,
      abandoned: c.abandoned ?? 0,
      retryable: c.retryable ?? 0,
      oldestPendingCreatedAtMs: snapshot.oldestPendingCreatedAtMs,
      windowFailedAttempts: points.reduce((sum, point) => sum + point.failed, 0),
      windowSucceeded: points.reduce((sum, point) => sum + point.succeeded, 0),
    };
  }
}

type SummaryReply = [number, string, string, string];

function summaryOf([count, p50, p95, p99]: SummaryReply): DurationSummary {
  const value = (text: string) => (text === '' ? null : Number(text));
  return { count: Number(count), p50: value(p50), p95: value(p95), p99: value(p99) };
}

function numbers(raw: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)]));
}
