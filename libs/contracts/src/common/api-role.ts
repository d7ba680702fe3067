import { z } from 'zod';

/** What an API key may do: `read` stats, batches, failures, alerts, item status and the console; `submit` work; `operate` replays and clean-ups. */
export const API_ROLES = ['read', 'submit', 'operate'] as const;
export const ApiRoleSchema = z.enum(API_ROLES);
export type ApiRole = z.infer<typeof ApiRoleSchema>;
