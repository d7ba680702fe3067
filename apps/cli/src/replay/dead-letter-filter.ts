import type { AbandonReason, WorkAbandoned } from '@workpipe/contracts';

/** Which dead letters of the read ranges a replay takes. Empty lists and absent bounds filter nothing. */
export interface DeadLetterFilter {
  /** `--type`: the last failure's type must be one of these. */
  types: readonly string[];
  /** `--reason`: the abandonment reason must be one of these. */
  reasons: readonly AbandonReason[];
  /** `--since`: `abandonedAt` at or after this, epoch milliseconds. */
  sinceMs?: number;
  /** `--until`: `abandonedAt` at or before this, epoch milliseconds. */
  untilMs?: number;
}

export const NO_FILTER: DeadLetterFilter = Object.freeze({ types: [], reasons: [] });

/** `match`, or the first criterion the dead letter fails. */
export type FilterVerdict = 'match' | 'type' | 'reason' | 'time';

export function applyFilter(deadLetter: WorkAbandoned.Value, filter: DeadLetterFilter): FilterVerdict {
  if (filter.types.length > 0 && !filter.types.includes(deadLetter.lastFailure.type)) return 'type';
  if (filter.reasons.length > 0 && !filter.reasons.includes(deadLetter.reason)) return 'reason';
  const abandonedAt = Date.parse(deadLetter.abandonedAt);
  if (filter.sinceMs !== undefined && abandonedAt < filter.sinceMs) return 'time';
  if (filter.untilMs !== undefined && abandonedAt > filter.untilMs) return 'time';
  return 'match';
}

/** `last failure API_ERROR or TIMEOUT, reason MAX_ATTEMPTS, abandoned since ...`, or '' without criteria. */
export function describeFilter(filter: DeadLetterFilter): string {
  const parts: string[] = [];
  if (filter.types.length > 0) parts.push(`last failure ${filter.types.join(' or ')}`);
  if (filter.reasons.length > 0) parts.push(`reason ${filter.reasons.join(' or ')}`);
  if (filter.sinceMs !== undefined) parts.push(`abandoned since ${new Date(filter.sinceMs).toISOString()}`);
  if (filter.untilMs !== undefined) parts.push(`abandoned until ${new Date(filter.untilMs).toISOString()}`);
  return parts.join(', ');
}
