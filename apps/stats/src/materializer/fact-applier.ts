import type Redis from 'ioredis';
import { ResumePositionLostError } from '@workpipe/kafka';
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

  /**
   * Applies `facts` (consecutive, in offset order). `knownStored` is the offset
   * the caller knows Redis holds for the partition (null: none, a rebuild from
   * the log start); when Redis holds less, nothing is applied and
   * `ResumePositionLostError` is thrown.
   */
  async apply(topic: string, partition: number, facts: readonly PositionedFact[], knownStored: string | null = null): Promise<ApplyResult[]> {
    if (facts.length === 0) return [];
    const args: string[] = [this.keyBase, `${topic}:${partition}`, knownStored ?? ''];
    for (const { offset, fact } of facts) args.push(offset, fact ? JSON.stringify({ ...fact, id: factId(fact) }) : '');
    let replies: [ApplyOutcome, string][];
    try {
      replies = await (this.redis as unknown as WithApplyFacts)[COMMAND](...args);
    } catch (error) {
      const message = (error as Error)?.message ?? '';
      if (message.startsWith('POSITION_LOST ')) throw new ResumePositionLostError(`stats offsets in Redis went back (emptied or failed over): ${message.slice('POSITION_LOST '.length)}`);
      throw error;
    }
    return replies.map(([outcome, batchId], index) => ({ offset: (facts[index] as PositionedFact).offset, outcome, batchId }));
  }
}
