import type { Admin } from 'kafkajs';
import { HEADERS, WorkItem } from '@workpipe/contracts';
import { PayloadValidationError, type RegistrySerde } from '@workpipe/kafka';
import type { TopicRangeReader } from '../reading/topic-range-reader';
import { CLOCK_SKEW_MARGIN_MS } from '../selection/selection-resolver';

/** A reservation nobody settled: the run that made it died, or its publish ended without an answer. */
export interface StaleReservation {
  partition: number;
  offset: string;
  /** The replay that reserved it. */
  owner: string;
  reservedAtMs: number;
}

/**
 * Settles the question a stale reservation leaves: did its item reach the
 * work topic? Reads the work topic from the earliest reservation's time (less
 * {@link CLOCK_SKEW_MARGIN_MS}) to its end now, and looks for items carrying
 * the owner's replay id (header first, so other messages are never decoded)
 * whose `replay.source` is the dead letter. Found: it was published, and is
 * confirmed for its owner; not found: it never was (a publish is over long
 * before a reservation goes stale), and may be republished.
 */
export class InFlightResolver {
  constructor(
    private readonly reader: TopicRangeReader,
    private readonly admin: Admin,
    private readonly serde: Pick<RegistrySerde, 'decode'>,
    private readonly workTopic: string,
  ) {}

  /** Per reservation, in order: true when its item is in the work topic. */
  async published(deadLetterTopic: string, stale: readonly StaleReservation[]): Promise<boolean[]> {
    if (stale.length === 0) return [];
    const wanted = new Map(stale.map((entry) => [`${entry.owner}|${entry.partition}:${entry.offset}`, false]));
    const owners = new Set(stale.map((entry) => entry.owner));
    const since = Math.min(...stale.map((entry) => entry.reservedAtMs)) - CLOCK_SKEW_MARGIN_MS;
    const [watermarks, starts] = await Promise.all([
      this.admin.fetchTopicOffsets(this.workTopic),
      this.admin.fetchTopicOffsetsByTimestamp(this.workTopic, Math.max(0, since)),
    ]);
    const startOf = new Map(starts.map(({ partition, offset }) => [partition, BigInt(offset)]));
    const ranges = watermarks
      .map(({ partition, low, high }) => {
        const start = startOf.get(partition) ?? BigInt(low);
        return { partition, from: start > BigInt(low) ? start : BigInt(low), to: BigInt(high) - 1n };
      })
      .filter((range) => range.from <= range.to);
    await this.reader.read({
      topic: this.workTopic,
      ranges,
      onChunk: async (messages) => {
        for (const message of messages) {
          const owner = message.headers[HEADERS.replayId];
          if (owner === undefined || !owners.has(owner) || !Buffer.isBuffer(message.value)) continue;
          let item: WorkItem.Value;
          try {
            item = await this.serde.decode(message.value, WorkItem);
          } catch (error) {
            if (error instanceof PayloadValidationError) continue;
            throw error;
          }
          const source = item.replay?.source;
          if (!source || source.topic !== deadLetterTopic || item.replay?.replayId !== owner) continue;
          const key = `${owner}|${source.partition}:${source.offset}`;
          if (wanted.has(key)) wanted.set(key, true);
        }
        return [...wanted.values()].every(Boolean) ? 'stop' : 'continue';
      },
    });
    return stale.map((entry) => wanted.get(`${entry.owner}|${entry.partition}:${entry.offset}`) === true);
  }
}
