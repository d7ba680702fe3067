import { z } from 'zod';
import { API_ROLES, type ApiRole } from '@workpipe/contracts';
import { commaList } from './env-parsers';

// The roles are part of the API's contract (`GET /v1/me` answers them); the keys are configuration.
export { API_ROLES, type ApiRole };

/** One configured API key and its roles. */
export interface ApiKey {
  key: string;
  roles: ApiRole[];
}

const KEY = /^[\x21-\x7e]{8,256}$/;

/**
 * `API_KEYS`: comma-separated keys, each `<key>` (every role) or
 * `<key>:<role>[+<role>...]`, e.g. `k1...:read,k2...:submit+read,k3...:operate+read`.
 * A key is 8 to 256 printable characters without `,` or `:`. Messages name
 * the position of a bad entry, never the key.
 */
export const apiKeyList = commaList.transform((entries, context): ApiKey[] => {
  const keys: ApiKey[] = [];
  entries.forEach((entry, index) => {
    const [key = '', roleList, ...rest] = entry.split(':');
    if (rest.length > 0 || !KEY.test(key)) {
      context.addIssue({ code: 'custom', message: `entry ${index + 1} is not <key> or <key>:<roles> with a key of 8 to 256 printable characters` });
      return;
    }
    if (roleList === undefined) {
      keys.push({ key, roles: [...API_ROLES] });
      return;
    }
    const roles = roleList.split('+');
    const unknown = roles.filter((role) => !(API_ROLES as readonly string[]).includes(role));
    if (roles.length === 0 || unknown.length > 0) {
      context.addIssue({ code: 'custom', message: `entry ${index + 1}: roles must be ${API_ROLES.join(', ')} joined by +` });
      return;
    }
    keys.push({ key, roles: [...new Set(roles)] as ApiRole[] });
  });
  return keys;
});

export type ApiKeysSetting = z.infer<typeof apiKeyList>;
