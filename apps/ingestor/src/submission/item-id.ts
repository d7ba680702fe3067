import { createHash } from 'node:crypto';
import type { ItemSubmission } from '@workpipe/contracts';

/** Longest item id (IdentifierSchema's bound: ids travel in headers, Redis keys and URLs). */
const MAX_ITEM_ID_LENGTH = 200;
/** Hex characters kept of each SHA-256: 96 bits, plenty against accidental collisions. */
const DIGEST_LENGTH = 24;

/**
 * The id of an item submitted without one: a hash of what it is, so the same
 * work submitted twice is recognised as a duplicate (content-hash dedup):
 * `<type>:<key>:<digest>`. The digest is always whole; when type and key leave
 * it no room, the key is replaced by a hash of it (`<type>:k.<key digest>:<digest>`),
 * never cut (a cut digest could make two different items collide).
 */
export function deriveItemId(submission: Pick<ItemSubmission, 'type' | 'key' | 'payload'>): string {
  const digest = sha256(canonicalJson([submission.type, submission.key, submission.payload]));
  const id = `${submission.type}:${submission.key}:${digest}`;
  const shortened = id.length <= MAX_ITEM_ID_LENGTH ? id : `${submission.type}:k.${sha256(submission.key)}:${digest}`;
  return shortened.replace(/[^A-Za-z0-9._:@/-]/g, '_');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, DIGEST_LENGTH);
}

/**
 * JSON with object keys sorted, so `{a,b}` and `{b,a}` hash alike. Recursive: callers pass
 * values whose depth is bounded (MAX_PAYLOAD_DEPTH, checked before an id is derived).
 */
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
