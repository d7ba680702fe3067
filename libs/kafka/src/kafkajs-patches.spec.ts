import { applyKafkajsPatches } from './kafkajs-patches';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: Record<string, unknown>) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  destroy(): void;
};

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, namespace: () => logger };

function queue(): InstanceType<typeof RequestQueue> {
  return new RequestQueue({
    instrumentationEmitter: { emit: () => undefined },
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: 'b:1',
    logger,
    isConnected: () => true,
  });
}

describe('kafkajs request queue patch', () => {
  beforeAll(() => applyKafkajsPatches());

  it('arms no timer when nothing is pending and nothing is throttled (kafkajs re-armed one every millisecond)', () => {
    const idle = queue();
    idle.scheduleCheckPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks pending requests, and waits out a throttle', () => {
    const busy = queue();
    busy.pending.push({});
    busy.scheduleCheckPendingRequests();
    expect(busy.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(busy.throttleCheckTimeoutId as NodeJS.Timeout);

    const throttled = queue();
    throttled.throttledUntil = Date.now() + 5_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(throttled.throttleCheckTimeoutId as NodeJS.Timeout);
  });

  it('checks request timeouts once a second, not every 100 ms', () => {
    jest.useFakeTimers();
    try {
      const spy = jest.spyOn(global, 'setInterval');
      const timed = queue();
      timed.scheduleRequestTimeoutCheck();
      expect(spy).toHaveBeenCalledWith(expect.any(Function), 1_000);
      timed.destroy();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('kafkajs consumer group patch', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup') as {
    prototype: { fetch(this: unknown, nodeId: number): Promise<unknown[]>; resume(this: unknown, partitions: unknown[]): void };
  };

  beforeAll(() => applyKafkajsPatches());

  it('ends the sleep of a consumer whose partitions are all paused as soon as one is resumed', async () => {
    const group = {
      maxWaitTime: 10_000,
      logger,
      subscriptionState: { assigned: () => [{ partitions: [0] }], active: () => [{ partitions: [] }], resume: () => undefined },
    };
    const started = Date.now();
    const fetched = ConsumerGroup.prototype.fetch.call(group, 0);
    setTimeout(() => ConsumerGroup.prototype.resume.call(group, []), 20);
    await expect(fetched).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
