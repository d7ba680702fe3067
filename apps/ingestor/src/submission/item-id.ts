import { createHash } from 'node:crypto';
import type { ItemSubmission } from '@workpipe/contracts';

/**
 * The id of an item submitted without one: a hash of what it is, so the same
 * work submitted twice is recognised as a duplicate (content-hash dedup).
 */
export function deriveItemId(submission: Pick<ItemSubmission, 'type' | 'key' | 'payload'>): string {
  const digest = createHash('sha256')
    .update(canonicalJson([submission.type, submission.key, submission.payload]))
    .digest('hex')
    .slice(0, 24);
  return `${submission.type}:${submission.key}:${digest}`.slice(0, 200).replace(/[^A-Za-z0-9._:@/-]/g, '_');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
