import { Injectable } from '@nestjs/common';
import type { OperationsApi } from '@workpipe/contracts';
import { StatsReader } from '../reading/stats-reader.service';
import type { HistoryEntry } from './item-history';
import { ReplayRuntime } from './replay-runtime';

/**
 * Where one item is now: its state as the stats service materialized it, and
 * from its bounded history every failed attempt, every dead letter (with
 * whether a replay took it) and every replay (with what its life came to).
 */
@Injectable()
export class ItemStatusService {
  constructor(
    private readonly stats: StatsReader,
    private readonly runtime: ReplayRuntime,
  ) {}

  /** Undefined when nothing of the item was ever seen. */
  async status(itemId: string, nowMs: number): Promise<OperationsApi.ItemStatus | undefined> {
    const [state, entries] = await Promise.all([this.stats.item(itemId), this.runtime.history.entries(itemId)]);
    if (!state && entries.length === 0) return undefined;
    const attempts = entries.filter((entry): entry is Extract<HistoryEntry, { k: 'a' }> => entry.k === 'a');
    const deadLetters = entries.filter((entry): entry is Extract<HistoryEntry, { k: 'd' }> => entry.k === 'd');
    const replays = entries.filter((entry): entry is Extract<HistoryEntry, { k: 'r' }> => entry.k === 'r');
    const settled = await Promise.all(deadLetters.map(async ({ pos }) => (await this.runtime.ledger.settled(pos.topic, [pos]))[0] === true));
    const outcomes = await Promise.all(replays.map(({ r }) => this.runtime.outcomes.itemOutcome(r, itemId)));
    return {
      itemId,
      key: state?.key ?? null,
      batchId: state?.batchId ?? null,
      workType: state?.workType ?? null,
      status: state?.status ?? 'unknown',
      createdAt: state?.createdAt ?? null,
      failedAttempts: Math.max(state?.failedAttempts ?? 0, attempts.length),
      lastFailure: state?.lastFailure ?? null,
      success: state?.success ?? null,
      attempts: attempts.map((entry) => ({
        attempt: entry.n,
        ...(entry.r ? { replayId: entry.r } : {}),
        failedAt: entry.at,
        failure: { type: entry.f.t, message: entry.f.m, ...(entry.f.c ? { code: entry.f.c } : {}), ...(entry.f.re === undefined ? {} : { retryable: entry.f.re }) },
        ...(entry.s ? { source: entry.s } : {}),
        ...(entry.d === undefined ? {} : { durationMs: entry.d }),
      })),
      deadLetters: deadLetters.map((entry, i) => ({
        position: entry.pos,
        reason: entry.why,
        detail: entry.det,
        lastFailureType: entry.ft,
        abandonedAt: entry.at,
        ...(entry.r ? { replayId: entry.r } : {}),
        replayed: settled[i] as boolean,
      })),
      replays: replays.map((entry, i) => ({ replayId: entry.r, replayedAt: entry.at, source: entry.s, outcome: outcomes[i] ?? 'pending' })),
      asOf: new Date(nowMs).toISOString(),
    };
  }
}
