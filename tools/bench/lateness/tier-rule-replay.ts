import { tierRelease } from '../../../apps/retrier/src/delay/tier-release';

/** A retry as the scheduler put it on its first delay tier. */
export interface TierArrival {
  tierMs: number;
  partition: number;
  /** When it arrived on the tier (message timestamp), epoch ms. */
  at: number;
  /** Offset order among arrivals of the same partition and millisecond. */
  sequence: number;
  dueAt: number;
}

interface Held {
  dueAt: number;
  enteredAt: number;
  partition: number;
}

/**
 * Replays the scheduler's real arrivals through the retrier's own release
 * rule (`tierRelease`) with zero consume, produce and CPU time: every
 * partition of every tier is a FIFO queue whose head is re-examined exactly
 * when the rule says, a hop lands at once at the tail of the same partition
 * number of the new tier (same key, same partition count, murmur2). What the
 * replay gives is the lateness the rule alone causes; the measured lateness
 * minus this is the runtime's share. Returns the lateness of each retry, in ms.
 */
export function replayTierRule(arrivals: readonly TierArrival[], tiersMs: readonly number[]): number[] {
  const pending = [...arrivals].sort((a, b) => a.at - b.at || a.sequence - b.sequence);
  const queues = new Map<string, { tierMs: number; items: Held[]; nextLookAt: number }>();
  const queueOf = (tierMs: number, partition: number) => {
    const id = `${tierMs}/${partition}`;
    let queue = queues.get(id);
    if (!queue) {
      queue = { tierMs, items: [], nextLookAt: 0 };
      queues.set(id, queue);
    }
    return queue;
  };
  const lateness: number[] = [];
  let next = 0;
  for (;;) {
    let earliest: { tierMs: number; items: Held[]; nextLookAt: number } | undefined;
    let earliestAt = Number.POSITIVE_INFINITY;
    for (const queue of queues.values()) {
      const head = queue.items[0];
      if (!head) continue;
      const at = Math.max(queue.nextLookAt, head.enteredAt);
      if (at < earliestAt) {
        earliestAt = at;
        earliest = queue;
      }
    }
    const arrival = pending[next];
    if (arrival && arrival.at <= earliestAt) {
      queueOf(arrival.tierMs, arrival.partition).items.push({ dueAt: arrival.dueAt, enteredAt: arrival.at, partition: arrival.partition });
      next += 1;
      continue;
    }
    if (!earliest) return lateness;
    const now = earliestAt;
    const head = earliest.items[0] as Held;
    const release = tierRelease(head.dueAt, head.enteredAt, earliest.tierMs, now, tiersMs);
    if (release.action === 'wait') {
      earliest.nextLookAt = now + release.waitMs;
      continue;
    }
    earliest.items.shift();
    earliest.nextLookAt = now;
    if (release.action === 'fire') {
      lateness.push(now - head.dueAt);
    } else {
      queueOf(release.tierMs, head.partition).items.push({ ...head, enteredAt: now });
    }
  }
}
