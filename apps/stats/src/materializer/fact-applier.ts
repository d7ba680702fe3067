import type Redis from 'ioredis';
import { factId, type ItemFact } from '@workpipe/stats-model';
import { APPLY_FACT_LUA } from './apply-fact.lua';

/** One message to apply: its position and its fact (null: the message could not be decoded). */
export interface PositionedFact {
  offset: string;
  fact: ItemFact | null;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'stale' | 'invalid';

export interface ApplyResult {
  offset: string;
  outcome: ApplyOutcome;
  /** The item's batch, '' if none or unknown. */
  batchId: string;
}

const COMMAND = 'workpipeStatsApplyFacts';

type WithApplyFacts = { [COMMAND](...args: string[]): Promise<[ApplyOutcome, string][]> };

/**
 * Sends consecutive messages of one topic-partition to the `apply-fact` Lua
 * script: one round trip and one atomic script run per call, each event guarded
 * by its offset and its fact id (see the script). Callers bound the size of a
 * call (STATS_APPLY_CHUNK_SIZE): the script holds Redis while it runs.
 */
export class FactApplier {
  constructor(
    private readonly redis: Redis,
    /** `<prefix>stats:`. */
    private readonly keyBase: string,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 0, lua: APPLY_FACT_LUA });
  }

  async apply(topic: string, partition: number, facts: readonly PositionedFact[]): Promise<ApplyResult[]> {
    if (facts.length === 0) return [];
    const args: string[] = [this.keyBase, `${topic}:${partition}`];
    for (const { offset, fact } of facts) args.push(offset, fact ? JSON.stringify({ ...fact, id: factId(fact) }) : '');
    const replies = await (this.redis as unknown as WithApplyFacts)[COMMAND](...args);
    return replies.map(([outcome, batchId], index) => ({ offset: (facts[index] as PositionedFact).offset, outcome, batchId }));
  }
}
