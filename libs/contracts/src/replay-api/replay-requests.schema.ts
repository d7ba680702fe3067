import { z } from 'zod';
import { ReplayIdSchema } from './replay-id.schema';
import { PacingSchema } from './replay-pacing.schema';
import { SelectionSchema } from './replay-selection.schema';

/** Rows a dry run lists unless `sampleLimit` says otherwise. */
export const DEFAULT_DRY_RUN_ROWS = 100;
/** The most rows a dry run lists (its counts are always complete). */
export const MAX_DRY_RUN_ROWS = 10_000;

/** `POST /v1/replays`. */
export const CreateReplayBodySchema = z.strictObject({
  /** Id of the new replay; generated (`rp-YYYYMMDD-HHMMSS-xxxxxx`) when absent. */
  replayId: ReplayIdSchema.optional(),
  selection: SelectionSchema,
  /** List what would be replayed; publish and record nothing (answered at once, 200). */
  dryRun: z.boolean().default(false),
  ...PacingSchema.shape,
  /** Dry run: dead letters listed, 0 to {@link MAX_DRY_RUN_ROWS}. */
  sampleLimit: z.number().int().min(0).max(MAX_DRY_RUN_ROWS).default(DEFAULT_DRY_RUN_ROWS),
  /** The request as the operator typed it, kept for display (the CLI sends its flags). */
  asked: z.string().max(2000).optional(),
});
export type CreateReplayBody = z.infer<typeof CreateReplayBodySchema>;

/** `POST /v1/replays/:id/continue`: the stored selection again, with new pacing. */
export const ContinueReplayBodySchema = z.strictObject({
  dryRun: z.boolean().default(false),
  ...PacingSchema.shape,
  sampleLimit: z.number().int().min(0).max(MAX_DRY_RUN_ROWS).default(DEFAULT_DRY_RUN_ROWS),
});
export type ContinueReplayBody = z.infer<typeof ContinueReplayBodySchema>;

/** `GET /v1/replays`. */
export const ListReplaysQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `GET /v1/replays/:id`: how many failing and pending item ids to list. */
export const ReplayViewQuerySchema = z.strictObject({
  list: z.coerce.number().int().min(0).max(1000).default(20),
});
