import { z } from 'zod';

const count = z.number().int().nonnegative();

/** What one pass over a selection found (the counts of a replay's latest run, except `republished`). */
export const ReplayCountsSchema = z.object({
  /** Dead letters read in the ranges. */
  read: count,
  /** Chosen: matched the selection, one per item. */
  selected: count,
  /** Republished by this replay, all runs together. */
  republished: count,
  /** Selected, but replayed already by another replay. */
  alreadyReplayed: count,
  /** Read but not matching the filters (retry-failures: not chosen). */
  skippedByFilter: count,
  /** Matched, but a later dead letter of the same item was selected instead. */
  superseded: count,
  /** Not decodable as a `WorkAbandoned`; left alone. */
  undecodable: count,
});
export type ReplayCounts = z.infer<typeof ReplayCountsSchema>;

/** How retry-failures found its items. */
export const RetryCandidatesSchema = z.object({
  /** Dead letters read. */
  read: count,
  /** Distinct items among them. */
  items: count,
  undecodable: count,
  drops: z.object({
    /** NOT_RETRYABLE, or a last failure of type VALIDATION. */
    notWorthRetrying: count,
    /** Not of a type asked for. */
    otherType: count,
    /** The latest dead letter was replayed already. */
    alreadyReplayed: count,
    /** The item succeeded after it was abandoned. */
    succeededLater: count,
  }),
  available: count,
  max: z.number().int().positive().optional(),
});
export type RetryCandidates = z.infer<typeof RetryCandidatesSchema>;
