import { z } from 'zod';
import { TimestampSchema } from '../common/identifiers';
import { ReplayCountsSchema } from '../replay-api/replay-counts.schema';
import { ReplayIdSchema } from '../replay-api/replay-id.schema';
import { PacingSchema } from '../replay-api/replay-pacing.schema';
import { ResolvedSelectionSchema, SelectionSchema } from '../replay-api/replay-selection.schema';

export const EVENT_TYPE = 'ReplayRequest';

/**
 * Who asked: an API key, named by a hash of it (`sha256:` and 16 hex digits,
 * never the key), or nobody in particular when the service runs without
 * API_KEYS.
 */
export const RequesterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api-key'), keyId: z.string().regex(/^sha256:[0-9a-f]{16}$/) }),
  z.object({ kind: z.literal('anonymous') }),
]);
export type Requester = z.infer<typeof RequesterSchema>;

/**
 * - `create`, `dry-run`, `continue`, `cancel`: an operator's request, with its
 *   immediate outcome (`accepted` or `rejected` with the reason);
 * - `run-ended`: a run of a replay finished (`complete`, `trial`,
 *   `interrupted` or `cancelled`), with what it did.
 */
export const REPLAY_REQUEST_ACTIONS = ['create', 'dry-run', 'continue', 'cancel', 'run-ended'] as const;
export const OUTCOME_STATUSES = ['accepted', 'rejected', 'complete', 'trial', 'interrupted', 'cancelled'] as const;

/**
 * One event per replay request on the `replays` topic (kept forever, keyed by
 * replay id): the durable record of who replayed what, when, and what came of it.
 */
export const Schema = z.object({
  /** Unique per event (a UUID); stable across redeliveries. */
  requestId: z.string().min(1).max(100),
  action: z.enum(REPLAY_REQUEST_ACTIONS),
  /** Absent for a dry run or a create rejected before it had one. */
  replayId: ReplayIdSchema.optional(),
  requestedBy: RequesterSchema,
  requestedAt: TimestampSchema,
  /** What was asked (create, dry-run). */
  selection: SelectionSchema.optional(),
  /** What it resolved to: topic, exact ranges, filters (once known). */
  resolved: ResolvedSelectionSchema.optional(),
  pacing: PacingSchema.extend({ dryRun: z.boolean() }).optional(),
  outcome: z.object({
    status: z.enum(OUTCOME_STATUSES),
    /** Why a request was rejected, or why a run stopped. */
    message: z.string().max(2000).optional(),
    /** `run-ended` and `dry-run`: the counts. */
    counts: ReplayCountsSchema.partial().optional(),
  }),
});

export type Value = z.infer<typeof Schema>;
