import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ReplayRequest } from '@workpipe/contracts';

/**
 * Who made a request, for the record: the API key it was authenticated with,
 * named by the first 16 hex digits of its SHA-256 (never the key), or
 * `anonymous` when the service runs without API_KEYS (nothing was checked).
 */
export function requesterOf(headers: IncomingHttpHeaders, authenticationOn: boolean): ReplayRequest.Requester {
  if (!authenticationOn) return { kind: 'anonymous' };
  const header = headers['x-api-key'];
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  const key = typeof header === 'string' && header.length > 0 ? header : bearer;
  if (!key) return { kind: 'anonymous' };
  return { kind: 'api-key', keyId: keyIdOf(key) };
}

/** `sha256:` and 16 hex digits of the key's SHA-256: enough to tell keys apart, useless to guess one. */
export function keyIdOf(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
