import { factOfStoryEvent, type StoryEvent } from '../../../libs/stats-model/src/testing/item-story';
import type { ItemFact } from '@workpipe/stats-model';

export interface PositionedEvent {
  event: StoryEvent;
  fact: ItemFact;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Lays events out as Kafka would: each on its topic, in the partition of its key,
 * at the next offset there. Order within a partition is the order given.
 */
export function partitionEvents(events: readonly StoryEvent[], partitions: number): PositionedEvent[] {
  const next = new Map<string, number>();
  return events.map((event) => {
    const key = event.topic === 'succeeded' ? event.value.key : event.topic === 'work' ? event.value.key : event.value.item.key;
    const partition = hash(key) % partitions;
    const position = `${event.topic}:${partition}`;
    const offset = next.get(position) ?? 0;
    next.set(position, offset + 1);
    return { event, fact: factOfStoryEvent(event), topic: event.topic, partition, offset: String(offset) };
  });
}

/** Any interleaving of the partitions that keeps each partition's own order. */
export function interleave(events: readonly PositionedEvent[], random: () => number): PositionedEvent[] {
  const queues = new Map<string, PositionedEvent[]>();
  for (const event of events) {
    const position = `${event.topic}:${event.partition}`;
    queues.set(position, [...(queues.get(position) ?? []), event]);
  }
  const result: PositionedEvent[] = [];
  const live = [...queues.values()];
  while (live.length > 0) {
    const index = Math.floor(random() * live.length);
    const queue = live[index] as PositionedEvent[];
    result.push(queue.shift() as PositionedEvent);
    if (queue.length === 0) live.splice(index, 1);
  }
  return result;
}

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (Math.imul(h, 31) + char.charCodeAt(0)) >>> 0;
  return h;
}
