import { z } from 'zod';
import { ApiRoleSchema } from '../common/api-role';

/**
 * `GET /v1/me`: what the calling API key may do, so a client (the console) offers only what it
 * will be allowed. Never the key itself.
 */
export const CallerSchema = z.object({
  /** API_KEYS is set: every call but the health probes needs a key. false: authentication is off and every caller holds every role. */
  keysConfigured: z.boolean(),
  /** The key as the replay records name it (`sha256:` and 16 hex digits of its hash); null with keys off. */
  keyId: z
    .string()
    .regex(/^sha256:[0-9a-f]{16}$/)
    .nullable(),
  /** The key's roles, in the order read, submit, operate. */
  roles: z.array(ApiRoleSchema),
});
export type Caller = z.infer<typeof CallerSchema>;
