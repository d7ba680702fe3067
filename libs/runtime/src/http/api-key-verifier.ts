import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { API_ROLES, type ApiKey, type ApiRole } from '@workpipe/config';
import type { ApiCaller } from './api-caller';
import { ANY_ROLE, type RoleRequirement } from './require-role.decorator';

/** A refusal as the API answers it: 401 (no key, or not one of API_KEYS) or 403 (the key lacks the role). */
export interface AccessRefusal {
  statusCode: 401 | 403;
  error: 'API_KEY_MISSING' | 'API_KEY_INVALID' | 'ROLE_MISSING';
  message: string;
}

export type AccessDecision = { allowed: true; caller: ApiCaller } | { allowed: false; refusal: AccessRefusal };

interface KnownKey {
  id: string;
  /** SHA-256 of the key: every comparison is of 32 bytes, whatever the keys' lengths. */
  digest: Buffer;
  roles: ReadonlySet<ApiRole>;
}

const ALL_ROLES: ReadonlySet<ApiRole> = new Set(API_ROLES);

/**
 * Checks the key a request presents (`x-api-key: <key>` or `Authorization: Bearer <key>`) against
 * API_KEYS, in constant time per key, and the role a route needs. Reads headers only, so it can
 * run before anything reads the body. Used by `ApiKeyGuard` and by the docs gate.
 */
export class ApiKeyVerifier {
  private readonly keys: KnownKey[];

  constructor(keys: readonly ApiKey[]) {
    this.keys = keys.map(({ key, roles }, index) => ({ id: `key ${index + 1}`, digest: sha256(key), roles: new Set(roles) }));
  }

  /** False with API_KEYS empty: authentication is off and every request is allowed. */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /**
   * `role`: the role the route needs, or `ANY_ROLE` for any valid key. With authentication off,
   * the caller is known by its address (`address <ip>`) and holds every role.
   */
  verify(headers: IncomingHttpHeaders, role: RoleRequirement, remoteAddress: string | undefined): AccessDecision {
    if (!this.enabled) return { allowed: true, caller: { id: `address ${remoteAddress ?? 'unknown'}`, roles: ALL_ROLES } };
    const given = presentedKey(headers);
    if (given === undefined) {
      return refuse(401, 'API_KEY_MISSING', 'this endpoint requires an API key: send it as "x-api-key: <key>" or "Authorization: Bearer <key>"');
    }
    // Digests of equal length, every key compared: the time taken tells neither which key came
    // close nor how long the keys are.
    const candidate = sha256(given);
    let match: KnownKey | undefined;
    for (const known of this.keys) {
      if (timingSafeEqual(known.digest, candidate) && !match) match = known;
    }
    if (!match) return refuse(401, 'API_KEY_INVALID', 'the API key is not valid');
    if (role !== ANY_ROLE && !match.roles.has(role)) return refuse(403, 'ROLE_MISSING', `this endpoint needs a key with the "${role}" role`);
    return { allowed: true, caller: { id: match.id, roles: match.roles } };
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function refuse(statusCode: AccessRefusal['statusCode'], error: AccessRefusal['error'], message: string): AccessDecision {
  return { allowed: false, refusal: { statusCode, error, message } };
}

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = headers.authorization;
  const match = authorization ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization) : null;
  return match?.[1];
}
