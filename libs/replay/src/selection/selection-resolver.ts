import type { Admin } from 'kafkajs';
import type { OperationsApi } from '@workpipe/contracts';
import { SelectionError } from '../errors/selection-error';
import { NO_FILTER, type DeadLetterFilter } from './dead-letter-filter';
import { resolveRanges, unknownPartitions, type PartitionWatermarks } from './offset-range';
import { resolvedSelection } from './resolved-selection';

/**
 * Message timestamps and `abandonedAt` come from different clocks (producers,
 * brokers); time-index lookups reach this much further, in milliseconds, and
 * the dead letters themselves are then filtered exactly.
 */
export const CLOCK_SKEW_MARGIN_MS = 60_000;

/**
 * Turns a requested selection into a resolved one: the topic's partitions and
 * high watermarks now (later dead letters are not part of it), `since`/`until`
 * through the brokers' time index (widened by {@link CLOCK_SKEW_MARGIN_MS}),
 * every mistake a {@link SelectionError} naming it.
 */
export class SelectionResolver {
  constructor(
    private readonly admin: Admin,
    /** The abandoned topic under the service's prefix: the default topic. */
    private readonly abandonedTopic: string,
  ) {}

  async resolve(selection: OperationsApi.Selection, asked?: string): Promise<OperationsApi.ResolvedSelection> {
    if (selection.kind === 'retry-failures') {
      const watermarks = await this.watermarks(this.abandonedTopic, true);
      return resolvedSelection({
        origin: 'retry-failures',
        topic: this.abandonedTopic,
        ranges: resolveRanges({}, watermarks),
        filter: { ...NO_FILTER, types: unique(selection.types ?? []) },
        ...(selection.max === undefined ? {} : { max: selection.max }),
        asked: asked ?? askedOf(selection),
      });
    }
    const criteria = [selection.partitions?.length, selection.fromOffset, selection.toOffset, selection.since, selection.until, selection.types?.length, selection.reasons?.length, selection.batchIds?.length, selection.itemIds?.length];
    if (criteria.every((criterion) => !criterion)) {
      throw new SelectionError(
        'say which dead letters to replay: partitions with offsets, a time window (since/until), failure types, reasons, batches or item ids ' +
          '(to replay everything still worth retrying, use retry-failures)',
      );
    }
    const fromOffset = selection.fromOffset === undefined ? undefined : BigInt(selection.fromOffset);
    const toOffset = selection.toOffset === undefined ? undefined : BigInt(selection.toOffset);
    if (fromOffset !== undefined && toOffset !== undefined && fromOffset > toOffset) {
      throw new SelectionError(`fromOffset ${fromOffset} is after toOffset ${toOffset} (both are included)`);
    }
    const sinceMs = selection.since === undefined ? undefined : Date.parse(selection.since);
    const untilMs = selection.until === undefined ? undefined : Date.parse(selection.until);
    if (sinceMs !== undefined && untilMs !== undefined && sinceMs > untilMs) {
      throw new SelectionError(`since ${selection.since} is after until ${selection.until}`);
    }
    const topic = selection.topic ?? this.abandonedTopic;
    const watermarks = await this.watermarks(topic, selection.topic === undefined);
    const partitions = selection.partitions === undefined ? undefined : unique(selection.partitions).sort((a, b) => a - b);
    const unknown = unknownPartitions({ ...(partitions ? { partitions } : {}) }, watermarks);
    if (unknown.length > 0) {
      throw new SelectionError(`${topic} has partitions 0 to ${watermarks.length - 1}; there is no partition ${unknown.join(', ')}`);
    }
    const ranges = resolveRanges(
      {
        ...(partitions === undefined ? {} : { partitions }),
        ...(fromOffset === undefined ? {} : { fromOffset }),
        ...(toOffset === undefined ? {} : { toOffset }),
        ...(sinceMs === undefined ? {} : { sinceOffsets: await this.offsetsAtTime(topic, sinceMs - CLOCK_SKEW_MARGIN_MS) }),
        ...(untilMs === undefined ? {} : { untilOffsets: await this.offsetsAtTime(topic, untilMs + CLOCK_SKEW_MARGIN_MS + 1) }),
      },
      watermarks,
    );
    const filter: DeadLetterFilter = {
      types: unique(selection.types ?? []),
      reasons: unique(selection.reasons ?? []),
      ...(sinceMs === undefined ? {} : { sinceMs }),
      ...(untilMs === undefined ? {} : { untilMs }),
      ...(selection.batchIds?.length ? { batchIds: unique(selection.batchIds) } : {}),
      ...(selection.itemIds?.length ? { itemIds: unique(selection.itemIds) } : {}),
    };
    return resolvedSelection({ origin: 'replay', topic, ranges, filter, asked: asked ?? askedOf(selection) });
  }

  /** The partitions of a topic with their watermarks; a missing topic is a {@link SelectionError}. */
  private async watermarks(topic: string, isDefault: boolean): Promise<PartitionWatermarks[]> {
    const topics = await this.admin.listTopics();
    if (!topics.includes(topic)) {
      throw new SelectionError(`there is no topic ${topic}${isDefault ? ': has the retrier run?' : ''}`);
    }
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) })).sort((a, b) => a.partition - b.partition);
  }

  /** Per partition, the first offset whose timestamp is at or after `timestampMs` (the high watermark when none is). */
  private async offsetsAtTime(topic: string, timestampMs: number): Promise<Map<number, bigint>> {
    const offsets = await this.admin.fetchTopicOffsetsByTimestamp(topic, Math.max(0, Math.floor(timestampMs)));
    return new Map(offsets.map(({ partition, offset }) => [partition, BigInt(offset)]));
  }
}

/** The selection in the CLI's words, for display when the request did not say: `--partition 1 --type API_ERROR`. */
export function askedOf(selection: OperationsApi.Selection): string {
  const parts: string[] = [];
  if (selection.kind === 'retry-failures') {
    if (selection.max !== undefined) parts.push(`--max ${selection.max}`);
    for (const type of selection.types ?? []) parts.push(`--type ${type}`);
    return ['retry-failures', ...parts].join(' ');
  }
  if (selection.topic !== undefined) parts.push(`--topic ${selection.topic}`);
  for (const partition of selection.partitions ?? []) parts.push(`--partition ${partition}`);
  if (selection.fromOffset !== undefined) parts.push(`--from-offset ${selection.fromOffset}`);
  if (selection.toOffset !== undefined) parts.push(`--to-offset ${selection.toOffset}`);
  if (selection.since !== undefined) parts.push(`--since ${selection.since}`);
  if (selection.until !== undefined) parts.push(`--until ${selection.until}`);
  for (const type of selection.types ?? []) parts.push(`--type ${type}`);
  for (const reason of selection.reasons ?? []) parts.push(`--reason ${reason}`);
  for (const batchId of selection.batchIds ?? []) parts.push(`--batch ${batchId}`);
  if (selection.itemIds?.length) parts.push(`--item ${selection.itemIds.slice(0, 3).join(',')}${selection.itemIds.length > 3 ? ',...' : ''}`);
  return parts.join(' ');
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
