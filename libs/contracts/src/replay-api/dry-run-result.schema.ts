import { z } from 'zod';
import { DeadLetterRowSchema } from './dead-letter-row.schema';
import { RetryCandidatesSchema } from './replay-counts.schema';

const count = z.number().int().nonnegative();

/** The answer to a dry run (`POST /v1/replays` with `dryRun: true`): nothing was published or recorded. */
export const DryRunResultSchema = z.object({
  origin: z.enum(['replay', 'retry-failures']),
  /** The dead-letter topic read. */
  topic: z.string(),
  /** `t.work.abandoned, partition 1 offsets 3-4, last failure API_ERROR`. */
  selectionText: z.string(),
  counts: z.object({
    read: count,
    wouldReplay: count,
    alreadyReplayed: count,
    skippedByFilter: count,
    superseded: count,
    undecodable: count,
  }),
  /** The first `sampleLimit` dead letters that would be replayed, in the order a run meets them. */
  rows: z.array(DeadLetterRowSchema),
  /** The first few selected dead letters replayed already: `partition:offset itemId`. */
  alreadyReplayed: z.array(z.string()),
  /** retry-failures: how the items were found. */
  candidates: RetryCandidatesSchema.optional(),
});
export type DryRunResult = z.infer<typeof DryRunResultSchema>;
