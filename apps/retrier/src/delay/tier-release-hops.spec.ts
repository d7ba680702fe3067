import { loadConfig } from '@workpipe/config';
import { formatTier, HEADERS, retryTopicName, type WorkItem } from '@workpipe/contracts';
import type { Output, WorkerMessage } from '@workpipe/kafka';
import { createLogger } from '@workpipe/logging';
import { chooseDelayTier } from '@workpipe/retry-policy';
import { WorkerContext } from '@workpipe/runtime';
import { DelayTierConsumer } from '../consumers/delay-tier.consumer';
import { tierRelease } from './tier-release';

const MINUTE = 60_000;
const config = loadConfig('retrier', {});
const tiers = config.retry.delayTiersMs;

const named = formatTier;

/**
 * Follows one delayed retry through the tiers with `tierRelease` alone, as the scheduler and the
 * tier consumer use it: enters the tier the scheduler picks, waits as told, hops as told, until it
 * fires. Returns the tiers visited and when it fired. Time is a number, no clock.
 */
function hopsOf(delayMs: number, startMs = 0): { tiers: string[]; firedAtMs: number } {
  const dueAt = startMs + delayMs;
  let now = startMs;
  let tier = chooseDelayTier(delayMs, tiers);
  let enteredAt = now;
  const visited = [named(tier)];
  for (let step = 0; step < 100; step++) {
    const release = tierRelease(dueAt, enteredAt, tier, now, tiers);
    if (release.action === 'fire') return { tiers: visited, firedAtMs: now };
    if (release.action === 'wait') {
      now += release.waitMs;
      continue;
    }
    tier = release.tierMs;
    enteredAt = now;
    visited.push(named(tier));
  }
  throw new Error('never fired');
}

describe('delay tier release with the default tiers', () => {
  it('has the README default tiers 1s,5s,30s,1m,5m,15m,1h', () => {
    expect(tiers).toEqual([1000, 5000, 30_000, MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE]);
  });

  it('takes a 40-minute delay through 15m, 15m, 5m, 5m, then fires on time', () => {
    const { tiers: visited, firedAtMs } = hopsOf(40 * MINUTE, 1_000_000);
    expect(visited).toEqual(['15m', '15m', '5m', '5m']);
    expect(firedAtMs).toBe(1_000_000 + 40 * MINUTE);
  });

  it('drives the delay-tier consumer the same way: 15m, 15m, 5m, 5m, then the work topic at the due time', async () => {
    const start = 1_000_000;
    jest.useFakeTimers({ now: start });
    try {
      const consumer = new DelayTierConsumer(config, createLogger({ service: 'test', level: 'silent' }));
      const context = new WorkerContext([{ signal: new AbortController().signal } as never]);
      const dueAt = start + 40 * MINUTE;
      const item = { itemId: 'i-1', key: 'k-1', attempt: 2, correlationId: 'c-1' } as WorkItem.Value;
      let topic = retryTopicName(config.kafka.topicPrefix, chooseDelayTier(40 * MINUTE, tiers));
      const path = [`${topic} at 0m`];
      while (topic !== 'workpipe.work' && path.length < 10) {
        // Each hop is a new record: its timestamp (when it entered the tier) is when it was produced.
        const message = { topic, partition: 0, offset: '0', key: 'k-1', timestamp: Date.now(), headers: { [HEADERS.dueAt]: String(dueAt) }, value: item };
        let released: Output[] | undefined;
        void consumer.release(message as unknown as WorkerMessage<WorkItem.Value>, context).then((outputs) => (released = outputs));
        // Step the clock from timer to timer, so the next record is produced exactly when this one was released.
        while (!released) await jest.advanceTimersToNextTimerAsync();
        topic = (released[0] as unknown as { topic: string }).topic;
        path.push(`${topic} at ${(Date.now() - start) / MINUTE}m`);
      }
      expect(path).toEqual([
        'workpipe.work.retry.15m at 0m',
        'workpipe.work.retry.15m at 15m',
        'workpipe.work.retry.5m at 30m',
        'workpipe.work.retry.5m at 35m',
        'workpipe.work at 40m',
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});
