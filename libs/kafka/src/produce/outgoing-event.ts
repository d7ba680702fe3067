import type { z } from 'zod';

/** An event to produce, before encoding: its contract checks `value`. */
export interface OutgoingEvent<S extends z.ZodType> {
  /** Partition key: one entity's events stay in one partition, in order. */
  key: string;
  value: z.input<S>;
  headers?: Record<string, string | number | undefined>;
}
