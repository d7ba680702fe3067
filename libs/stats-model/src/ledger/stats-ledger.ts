import { summarizeDurations } from '../percentile/percentile';
import { contributionsOf } from '../item/item-contributions';
import type { ItemFact } from '../item/item-fact';
import { applyFact, type ApplyOutcome, type ItemState } from '../item/item-state';
import type { ScopeSnapshot } from '../view/stats-view';

/** The overall scope, or one batch. */
export type Scope = { kind: 'overall' } | { kind: 'batch'; batchId: string };

export const OVERALL: Scope = { kind: 'overall' };

/** Every number of one scope, as the Redis materialization holds it. */
export interface ScopeTotals {
  counters: Record<string, number>;
  series: Record<string, number>;
  /** Sorted-set name -> member -> score. */
  zsets: Record<string, Map<string, number>>;
}

/**
 * The whole materialization in memory: the reference the Redis one is checked
 * against, and a way to compute expected numbers from a list of events. Facts
 * are applied with {@link applyFact}; scope totals are the sums of the item
 * contributions plus what the events themselves add.
 */
export class StatsLedger {
  private readonly items = new Map<string, ItemState>();
  private readonly eventTotals = new Map<string, ScopeTotals>();

  apply(fact: ItemFact): ApplyOutcome {
    const previous = this.items.get(fact.itemId);
    const result = applyFact(previous, fact);
    const state = result.state;
    const scopes = scopeKeys(state.batchId);
    if (result.outcome === 'duplicate') {
      for (const scope of scopes) add(this.events(scope).counters, 'duplicates', 1);
      return 'duplicate';
    }
    this.items.set(fact.itemId, state);
    for (const scope of scopes) {
      const totals = this.events(scope);
      for (const [name, value] of Object.entries(result.events.counters)) add(totals.counters, name, value);
      for (const [field, value] of Object.entries(result.events.series)) add(totals.series, field, value);
      for (const [member, ms] of Object.entries(result.events.retryWaits)) zset(totals, 'retry_wait').set(member, ms);
    }
    return 'applied';
  }

  /** A message that could not be decoded: counted, nothing else. */
  invalid(): void {
    add(this.events('all').counters, 'invalid_events', 1);
  }

  item(itemId: string): ItemState | undefined {
    return this.items.get(itemId);
  }

  allItems(): IterableIterator<ItemState> {
    return this.items.values();
  }

  batchIds(): string[] {
    return [...new Set([...this.items.values()].map((s) => s.batchId).filter((id) => id !== ''))].sort();
  }

  totals(scope: Scope): ScopeTotals {
    const key = scope.kind === 'overall' ? 'all' : `batch:${scope.batchId}`;
    const base = this.eventTotals.get(key);
    const totals: ScopeTotals = {
      counters: { ...base?.counters },
      series: { ...base?.series },
      zsets: Object.fromEntries(Object.entries(base?.zsets ?? {}).map(([name, members]) => [name, new Map(members)])),
    };
    for (const state of this.items.values()) {
      if (scope.kind === 'batch' && state.batchId !== scope.batchId) continue;
      const contributions = contributionsOf(state);
      for (const [name, value] of Object.entries(contributions.counters)) add(totals.counters, name, value);
      for (const [field, value] of Object.entries(contributions.series)) add(totals.series, field, value);
      for (const [name, score] of Object.entries(contributions.zsets)) zset(totals, name).set(state.itemId, score);
    }
    return totals;
  }

  /** Whether any item of the batch is known. */
  hasBatch(batchId: string): boolean {
    for (const state of this.items.values()) if (state.batchId === batchId) return true;
    return false;
  }

  snapshot(scope: Scope): ScopeSnapshot {
    const totals = this.totals(scope);
    const scores = (name: string): number[] => [...(totals.zsets[name]?.values() ?? [])];
    const min = (values: number[]): number | null => (values.length > 0 ? values.reduce((a, b) => Math.min(a, b)) : null);
    return {
      counters: nonZero(totals.counters),
      timeToSuccessMs: summarizeDurations(scores('tts')),
      retryWaitMs: summarizeDurations(scores('retry_wait')),
      oldestPendingCreatedAtMs: min(scores('pending')),
      oldestRetryableFailureAtMs: min(scores('fail:retryable')),
      oldestFailureAtMs: min(scores('fail:all')),
    };
  }

  private events(key: string): ScopeTotals {
    let totals = this.eventTotals.get(key);
    if (!totals) {
      totals = { counters: {}, series: {}, zsets: {} };
      this.eventTotals.set(key, totals);
    }
    return totals;
  }
}

function scopeKeys(batchId: string): string[] {
  return batchId === '' ? ['all'] : ['all', `batch:${batchId}`];
}

function add(target: Record<string, number>, key: string, amount: number): void {
  target[key] = (target[key] ?? 0) + amount;
}

function zset(totals: ScopeTotals, name: string): Map<string, number> {
  let members = totals.zsets[name];
  if (!members) {
    members = new Map();
    totals.zsets[name] = members;
  }
  return members;
}

/** Counters without zero entries (Redis keeps a field at 0 after +1 -1; the view ignores both). */
export function nonZero(counters: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0));
}
