import type { AbandonReason, WorkAbandoned } from '@workpipe/contracts';

/** Which dead letters of the read ranges a replay takes. Empty lists and absent bounds filter nothing. */
export interface DeadLetterFilter {
  /** The last failure's type must be one of these. */
  types: readonly string[];
  /** The abandonment reason must be one of these. */
  reasons: readonly AbandonReason[];
  /** `abandonedAt` at or after this, epoch milliseconds. */
  sinceMs?: number;
  /** `abandonedAt` at or before this, epoch milliseconds. */
  untilMs?: number;
  /** The item's batch must be one of these (an item without a batch never matches). */
  batchIds?: readonly string[];
  /** The item must be one of these. */
  itemIds?: readonly string[];
}

export const NO_FILTER: DeadLetterFilter = Object.freeze({ types: [], reasons: [] });

/** `match`, or the first criterion the dead letter fails. */
export type FilterVerdict = 'match' | 'type' | 'reason' | 'time' | 'batch' | 'item';

/**
 * Tests dead letters against a filter; the id lists become sets once, so a
 * million dead letters cost a million lookups, not a million list scans.
 */
export class DeadLetterMatcher {
  private readonly batchIds?: ReadonlySet<string>;
  private readonly itemIds?: ReadonlySet<string>;

  constructor(readonly filter: DeadLetterFilter) {
    if (filter.batchIds && filter.batchIds.length > 0) this.batchIds = new Set(filter.batchIds);
    if (filter.itemIds && filter.itemIds.length > 0) this.itemIds = new Set(filter.itemIds);
  }

  verdict(deadLetter: WorkAbandoned.Value): FilterVerdict {
    const { filter } = this;
    if (filter.types.length > 0 && !filter.types.includes(deadLetter.lastFailure.type)) return 'type';
    if (filter.reasons.length > 0 && !filter.reasons.includes(deadLetter.reason)) return 'reason';
    const abandonedAt = Date.parse(deadLetter.abandonedAt);
    if (filter.sinceMs !== undefined && abandonedAt < filter.sinceMs) return 'time';
    if (filter.untilMs !== undefined && abandonedAt > filter.untilMs) return 'time';
    if (this.batchIds && !this.batchIds.has(deadLetter.item.batchId ?? '')) return 'batch';
    if (this.itemIds && !this.itemIds.has(deadLetter.item.itemId)) return 'item';
    return 'match';
  }

  matches(deadLetter: WorkAbandoned.Value): boolean {
    return this.verdict(deadLetter) === 'match';
  }
}

/** `last failure API_ERROR or TIMEOUT, reason MAX_ATTEMPTS, abandoned since ...`, or '' without criteria. */
export function describeFilter(filter: DeadLetterFilter): string {
  const parts: string[] = [];
  if (filter.types.length > 0) parts.push(`last failure ${filter.types.join(' or ')}`);
  if (filter.reasons.length > 0) parts.push(`reason ${filter.reasons.join(' or ')}`);
  if (filter.sinceMs !== undefined) parts.push(`abandoned since ${new Date(filter.sinceMs).toISOString()}`);
  if (filter.untilMs !== undefined) parts.push(`abandoned until ${new Date(filter.untilMs).toISOString()}`);
  if (filter.batchIds && filter.batchIds.length > 0) parts.push(`batch ${filter.batchIds.join(' or ')}`);
  if (filter.itemIds && filter.itemIds.length > 0) {
    const shown = filter.itemIds.slice(0, 3).join(', ');
    parts.push(filter.itemIds.length > 3 ? `items ${shown} and ${filter.itemIds.length - 3} more` : `item${filter.itemIds.length > 1 ? 's' : ''} ${shown}`);
  }
  return parts.join(', ');
}
