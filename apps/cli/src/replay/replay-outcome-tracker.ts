import { HEADERS, WorkAbandoned, WorkSucceeded } from '@workpipe/contracts';
import type { z } from 'zod';
import { PayloadValidationError, type EventContract, type RegistrySerde } from '@workpipe/kafka';
import type { CliIo } from '../cli-io';
import type { ReplayClients } from './replay-clients';
import type { ItemOutcomeFacts } from './replay-outcome';
import { offsetsAtTime, topicWatermarks, type TopicPartitionRange, type TopicRangeReader } from './topic-range-reader';

/**
 * Message timestamps and event times come from different clocks (producers,
 * brokers); time-index lookups start this much earlier, in milliseconds, and
 * the events themselves are filtered exactly.
 */
export const CLOCK_SKEW_MARGIN_MS = 60_000;

/**
 * What happened to a replay's items, read from Kafka itself: the succeeded and
 * abandoned topics from the replay's creation time onward (found with the
 * brokers' time index), keeping the events that carry the replay id. Each
 * `refresh` reads only what arrived since the last one, up to the high
 * watermarks of that moment, so the result is exact as of each refresh and
 * needs no other service.
 */
export class ReplayOutcomeTracker implements ItemOutcomeFacts {
  readonly succeeded = new Set<string>();
  readonly abandoned = new Map<string, { type: string; message: string; reason: string }>();
  /** Next offset to read per `topic:partition`. */
  private readonly next = new Map<string, bigint>();
  private started = false;

  /**
   * @param sinceMs the replay's creation time, epoch milliseconds
   */
  constructor(
    private readonly clients: ReplayClients,
    private readonly reader: TopicRangeReader,
    private readonly replayId: string,
    private readonly sinceMs: number,
  ) {}

  /** Reads the outcome events that arrived since the last refresh. */
  async refresh(): Promise<void> {
    const { succeeded, abandoned } = this.clients.topics;
    const ranges: TopicPartitionRange[] = [];
    for (const topic of [succeeded, abandoned]) {
      const watermarks = (await topicWatermarks(this.clients.admin, topic)) ?? [];
      const starts = this.started ? undefined : await offsetsAtTime(this.clients.admin, topic, this.sinceMs - CLOCK_SKEW_MARGIN_MS);
      for (const { partition, low, high } of watermarks) {
        const key = `${topic}:${partition}`;
        const from = this.next.get(key) ?? maxOf(low, starts?.get(partition) ?? low);
        this.next.set(key, from);
        if (from < high) ranges.push({ topic, partition, from, to: high - 1n });
      }
    }
    this.started = true;
    await this.reader.read(ranges, async (message) => {
      const headerId = message.headers[HEADERS.replayId];
      this.next.set(`${message.topic}:${message.partition}`, BigInt(message.offset) + 1n);
      if (!message.value || (headerId !== undefined && headerId !== this.replayId)) return;
      if (message.topic === succeeded) {
        const event = await decodeQuietly(this.clients.serde, message.value, WorkSucceeded);
        if (event?.replayId === this.replayId) this.succeeded.add(event.itemId);
      } else {
        const event = await decodeQuietly(this.clients.serde, message.value, WorkAbandoned);
        if (event?.item.replay?.replayId === this.replayId) {
          this.abandoned.set(event.item.itemId, { type: event.lastFailure.type, message: event.lastFailure.message, reason: event.reason });
        }
      }
    });
    for (const range of ranges) this.next.set(`${range.topic}:${range.partition}`, range.to + 1n);
  }
}

/**
 * Per item id, the latest `completedAt` (epoch ms) of a `WorkSucceeded` in the
 * succeeded topic from `sinceMs` on: `retry-failures` drops dead letters whose
 * item succeeded after it was abandoned.
 */
export async function lastSuccesses(
  clients: ReplayClients,
  reader: TopicRangeReader,
  itemIds: ReadonlySet<string>,
  sinceMs: number,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (itemIds.size === 0) return result;
  const topic = clients.topics.succeeded;
  const watermarks = (await topicWatermarks(clients.admin, topic)) ?? [];
  const starts = await offsetsAtTime(clients.admin, topic, sinceMs - CLOCK_SKEW_MARGIN_MS);
  const ranges = watermarks
    .map(({ partition, low, high }) => ({ topic, partition, from: maxOf(low, starts.get(partition) ?? low), to: high - 1n }))
    .filter((range) => range.from <= range.to);
  await reader.read(ranges, async (message) => {
    const headerId = message.headers[HEADERS.itemId];
    if (!message.value || (headerId !== undefined && !itemIds.has(headerId))) return;
    const event = await decodeQuietly(clients.serde, message.value, WorkSucceeded);
    if (!event || !itemIds.has(event.itemId)) return;
    const completedAt = Date.parse(event.completedAt);
    if (completedAt > (result.get(event.itemId) ?? Number.NEGATIVE_INFINITY)) result.set(event.itemId, completedAt);
  });
  return result;
}

/** Polls {@link ReplayOutcomeTracker.refresh} until `done()` or the deadline; true when it timed out. */
export async function pollUntil(
  io: Pick<CliIo, 'now' | 'sleep'>,
  timeoutMs: number,
  intervalMs: number,
  step: () => Promise<boolean>,
): Promise<boolean> {
  const deadline = io.now() + timeoutMs;
  for (;;) {
    if (await step()) return false;
    const left = deadline - io.now();
    if (left <= 0) return true;
    await io.sleep(Math.min(intervalMs, left));
  }
}

/** An outcome event that does not decode is another system's business: it is not about this replay. */
async function decodeQuietly<S extends z.ZodType>(serde: RegistrySerde, value: Buffer, contract: EventContract<S>): Promise<z.output<S> | undefined> {
  try {
    return await serde.decode(value, contract);
  } catch (error) {
    if (error instanceof PayloadValidationError) return undefined;
    throw error;
  }
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
