import type { z } from 'zod';

/** A contract as exported by `@workpipe/contracts`: its zod schema and the event type it names. */
export interface EventContract<S extends z.ZodType = z.ZodType> {
  EVENT_TYPE: string;
  Schema: S;
}
