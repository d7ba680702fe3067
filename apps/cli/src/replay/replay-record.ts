import { z } from 'zod';
import { AbandonReasonSchema, FailureTypeSchema, TimestampSchema } from '@workpipe/contracts';

/**
 * - `running`: republishing now (or the process was killed: then `--continue` it);
 * - `trial`: `--trial N` republished its sample; `--continue` replays the rest;
 * - `complete`: every selected dead letter was replayed (here or before, by any replay);
 * - `interrupted`: stopped by an error (Kafka, Redis or the registry); `--continue` resumes.
 */
export const REPLAY_STATES = ['running', 'trial', 'complete', 'interrupted'] as const;
export const ReplayStateSchema = z.enum(REPLAY_STATES);
export type ReplayState = z.infer<typeof ReplayStateSchema>;

const OffsetSchema = z.string().regex(/^\d+$/);

/**
 * What a replay selects, resolved when it was created, so `--continue` reads
 * exactly the same dead letters whatever was abandoned since.
 */
export const ReplaySelectionSchema = z.object({
  /** The command that created the replay. */
  origin: z.enum(['replay', 'retry-failures']),
  /** The dead-letter topic read. */
  topic: z.string().min(1),
  /** Inclusive offset ranges read, per partition (offsets as decimal strings). */
  ranges: z.array(z.object({ partition: z.number().int().nonnegative(), from: OffsetSchema, to: OffsetSchema })),
  /** `--type` (last failure type), `--reason`, `--since/--until` (on `abandonedAt`, ISO). */
  filter: z.object({
    types: z.array(FailureTypeSchema),
    reasons: z.array(AbandonReasonSchema),
    since: TimestampSchema.optional(),
    until: TimestampSchema.optional(),
  }),
  /** `retry-failures`: exactly these dead letters (position keys `topic:partition:offset`). */
  only: z.array(z.string()).optional(),
  /** The flags as given, for display: `--partition 1 --from-offset 3 --to-offset 9`. */
  asked: z.string(),
});
export type ReplaySelection = z.infer<typeof ReplaySelectionSchema>;

/** Counts of a replay's latest run, except `republished` (everything this replay ever republished). */
export const ReplayCountsSchema = z.object({
  /** Dead letters read in the ranges. */
  read: z.number().int().nonnegative(),
  /** Matched the selection (one per item). */
  selected: z.number().int().nonnegative(),
  /** Republished by this replay, all runs together. */
  republished: z.number().int().nonnegative(),
  /** Selected, but replayed by another replay already (or being replayed right now). */
  alreadyReplayed: z.number().int().nonnegative(),
  /** Read but not matching `--type`, `--reason`, `--since/--until`. */
  skippedByFilter: z.number().int().nonnegative(),
  /** A later dead letter of the same item was selected instead. */
  superseded: z.number().int().nonnegative(),
  /** Not decodable as a `WorkAbandoned`; left alone. */
  undecodable: z.number().int().nonnegative(),
});
export type ReplayCounts = z.infer<typeof ReplayCountsSchema>;

export const EMPTY_COUNTS: ReplayCounts = Object.freeze({
  read: 0,
  selected: 0,
  republished: 0,
  alreadyReplayed: 0,
  skippedByFilter: 0,
  superseded: 0,
  undecodable: 0,
});

/** A replay as recorded in Redis (`<prefix>replay:<id>`). */
export interface ReplayRecord {
  replayId: string;
  /** ISO timestamp of the first run. */
  createdAt: string;
  /** ISO timestamp of the last change. */
  updatedAt: string;
  state: ReplayState;
  /** Runs so far: 1, plus one per `--continue`. */
  runs: number;
  selection: ReplaySelection;
  counts: ReplayCounts;
}

/** One dead letter a replay republished (`<prefix>replay:<id>:items`, field = position key). */
export const ReplayedEntrySchema = z.object({
  itemId: z.string(),
  key: z.string(),
  /** ISO timestamp of the republication. */
  at: TimestampSchema,
});
export type ReplayedEntry = z.infer<typeof ReplayedEntrySchema> & { position: string };
