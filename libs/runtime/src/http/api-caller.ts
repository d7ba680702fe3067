import type { Request } from 'express';
import type { ApiRole } from '@workpipe/config';

/** Who sent a request, as far as the API keys tell; set by `ApiKeyGuard` on every routed request. */
export interface ApiCaller {
  /**
   * `key <n>`, the key's position in API_KEYS (never the key itself, so it may be logged and used
   * to count a key's streams); `address <ip>` while authentication is off; `anonymous` on a public
   * route called without a key.
   */
  id: string;
  roles: ReadonlySet<ApiRole>;
}

const CALLER = Symbol('workpipe:api-caller');
type WithCaller = Request & { [CALLER]?: ApiCaller };

export function attachCaller(request: Request, caller: ApiCaller): void {
  (request as WithCaller)[CALLER] = caller;
}

/** The caller `ApiKeyGuard` found; `anonymous` for a request that did not pass through it. */
export function callerOf(request: Request): ApiCaller {
  return (request as WithCaller)[CALLER] ?? { id: 'anonymous', roles: new Set() };
}
