import { z } from 'zod';
import { TimestampSchema } from '../common/identifiers';
import { RequesterSchema, Schema as ReplayRequestSchema } from '../replay-request/replay-request.schema';
import { ReplayCountsSchema, RetryCandidatesSchema } from './replay-counts.schema';
import { ReplayIdSchema } from './replay-id.schema';
import { PacingSchema } from './replay-pacing.schema';
import { ResolvedSelectionSchema } from './replay-selection.schema';

/**
 * - `running`: being worked on now (`phase` says which step); a replay whose
 *   process died is resumed by the next stats instance to start;
 * - `trial`: the trial's items are republished; `continue` replays the rest;
 * - `complete`: every selected dead letter is replayed (by this replay or another);
 * - `interrupted`: stopped by an error (Kafka, Redis, the registry); `continue` resumes;
 * - `cancelled`: stopped by an operator; nothing more is republished.
 */
export const REPLAY_STATES = ['running', 'trial', 'complete', 'interrupted', 'cancelled'] as const;
export const ReplayStateSchema = z.enum(REPLAY_STATES);
export type ReplayState = z.infer<typeof ReplayStateSchema>;

/** Steps of a run: `selecting` (reading the selection, latest dead letter per item), `choosing` (retry-failures' candidates), `publishing`. */
export const REPLAY_PHASES = ['selecting', 'choosing', 'publishing'] as const;
export const ReplayPhaseSchema = z.enum(REPLAY_PHASES);
export type ReplayPhase = z.infer<typeof ReplayPhaseSchema>;

const count = z.number().int().nonnegative();

/** The latest run of a replay. */
export const ReplayRunSchema = z.object({
  /** 1 for the first run, +1 per continue (or resume after a crash). */
  run: z.number().int().positive(),
  state: ReplayStateSchema,
  startedAt: TimestampSchema,
  endedAt: TimestampSchema.optional(),
  pacing: PacingSchema,
  /** This run's counts; `republished` is this run's too. */
  counts: ReplayCountsSchema,
  /** Selected dead letters this replay republished in earlier runs. */
  earlier: count,
  /** Selected dead letters left for `continue` (after a trial, a cancel or an error). */
  remaining: count,
  /** Positions (`topic:partition:offset`) of the first undecodable dead letters. */
  undecodable: z.array(z.string()),
  /** Why the run stopped, when it was interrupted. */
  error: z.string().optional(),
});
export type ReplayRun = z.infer<typeof ReplayRunSchema>;

/** What became of the republished items, from the succeeded and abandoned topics. */
export const ReplayOutcomeSchema = z.object({
  /** Items republished (each once per replay). */
  published: count,
  /** A `WorkSucceeded` carries the replay id. */
  recovered: count,
  /** A new `WorkAbandoned` of the item carries it: it failed again until abandoned. */
  failedAgain: count,
  /** Neither yet: being processed or waiting for a retry. */
  pending: count,
  /** The first failing items by id, with their last failure. */
  failing: z.array(z.object({ itemId: z.string(), type: z.string(), message: z.string(), reason: z.string() })),
  /** The first pending item ids. */
  waiting: z.array(z.string()),
});
export type ReplayOutcome = z.infer<typeof ReplayOutcomeSchema>;

/** `GET /v1/replays/:id`, and each entry of `GET /v1/replays`. */
export const ReplayViewSchema = z.object({
  replayId: ReplayIdSchema,
  state: ReplayStateSchema,
  /** While running. */
  phase: ReplayPhaseSchema.optional(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  requestedBy: RequesterSchema,
  runs: z.number().int().positive(),
  selection: ResolvedSelectionSchema,
  selectionText: z.string(),
  /** The latest run's counts, with `republished` over all runs. */
  counts: ReplayCountsSchema,
  lastRun: ReplayRunSchema,
  /** retry-failures: how the items were found (once the choosing step is done). */
  candidates: RetryCandidatesSchema.optional(),
  outcome: ReplayOutcomeSchema,
  /** Selected dead letters settled (republished by this replay, or already replayed) of all selected; null until selected is known. */
  progress: z.object({ done: count, total: count, fraction: z.number().min(0).max(1).nullable() }),
  /** Every request about this replay, oldest first (as on the `replays` topic). */
  requests: z.array(ReplayRequestSchema),
});
export type ReplayView = z.infer<typeof ReplayViewSchema>;

/** `GET /v1/replays`: newest first. */
export const ReplayListSchema = z.object({
  total: count,
  offset: count,
  limit: z.number().int().positive(),
  replays: z.array(ReplayViewSchema.omit({ requests: true })),
});
export type ReplayList = z.infer<typeof ReplayListSchema>;
