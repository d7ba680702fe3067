import type { z } from 'zod';
import type { ConfigIssue } from './errors/config-error';

type EnvSource = Readonly<Record<string, string | undefined>>;

// A key shown in a message: a field or a name as configuration spells them. Anything else
// (a key holding a URL, a blank, a quote) is shown as `[key]`.
const SHOWABLE_KEY = /^[A-Za-z_$][\w.$-]{0,63}$/;
// A string of the value at least this long never appears in a message, whatever zod said.
const MIN_WITHHELD_LENGTH = 6;

/**
 * zod's issues as configuration issues that name the variable and where in its value the
 * problem is, never any part of the value:
 *
 *   WORK_TYPES: Too small: expected number to be >0 (at report.timeoutMs)
 *   RETRY_POLICY: unknown field maxAttempt (at API_ERROR)
 *   KAFKA_BROKERS: each broker must be host:port (at [1])
 *   WORK_TYPES: not valid JSON (at position 17)
 *
 * Keys are structure and are shown when they look like field names (`maxAttempt`, a work type),
 * except a key zod refused (`invalid_key`), shown by its place: `(at [key 2])`. zod's English
 * messages name types and expectations, not values, except `unrecognized_keys` (rewritten here);
 * as a last guard a message that contains a string of the value (6 characters or more) is
 * replaced by `invalid value (<code>)`.
 */
export function configIssuesOf(error: z.ZodError, env: EnvSource): ConfigIssue[] {
  return error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(root)');
    const raw = env[variable];
    const path = issue.path.slice(1);
    // A key zod refused is shown by its place among its siblings, not by its text.
    const where =
      issue.code === 'invalid_key' && path.length > 0
        ? [...path.slice(0, -1).map(showKey), refusedKey(raw, path)].join('.')
        : path.map(showKey).join('.');
    const message = withheldIfQuoting(messageOf(issue), valueStrings(raw), issue.code);
    return { variable, message: where === '' ? message : `${message} (at ${where})` };
  });
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(showKey).join(', ')}`;
  }
  return issue.message;
}

function showKey(key: PropertyKey): string {
  if (typeof key === 'number') return `[${String(key)}]`;
  return typeof key === 'string' && SHOWABLE_KEY.test(key) ? key : '[key]';
}

/** `[key 3]`: the 1-based place of the last key of `path` in its object, parsed again from `raw`. */
function refusedKey(raw: string | undefined, path: readonly PropertyKey[]): string {
  try {
    let parent: unknown = JSON.parse(raw ?? '');
    for (const key of path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown>)[key];
    const place = Object.keys(parent as object).indexOf(String(path[path.length - 1]));
    return place === -1 ? '[key]' : `[key ${String(place + 1)}]`;
  } catch {
    return '[key]';
  }
}

function withheldIfQuoting(message: string, strings: readonly string[], code: string): string {
  return strings.some((text) => message.includes(text)) ? `invalid value (${code})` : message;
}

/** The raw text and, when it is JSON, every string in it: what a message must never contain. */
function valueStrings(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const strings = [raw.trim()];
  try {
    collectStrings(JSON.parse(raw) as unknown, strings);
  } catch {
    // Not JSON: the raw text is all there is.
  }
  return strings.filter((text) => text.length >= MIN_WITHHELD_LENGTH);
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collectStrings(item, into);
}
