import { TokenBucket } from './token-bucket';

/** A clock that only moves when the bucket sleeps. */
function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
    elapsed: () => now - 1_000_000,
  };
}

describe('TokenBucket', () => {
  it('lets a full second pass at once, then one item per 1/rate seconds', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 5, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i += 1) await bucket.take();
    expect(clock.elapsed()).toBe(0);
    await bucket.take();
    expect(clock.sleeps).toEqual([200]);
    for (let i = 0; i < 4; i += 1) await bucket.take();
    expect(clock.elapsed()).toBe(1000);
  });

  it('keeps the long-run rate: 100 items at 10/s take 9 s (10 at once, then 10 per second)', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 10; i += 1) await bucket.take(10);
    expect(clock.elapsed()).toBe(9000);
  });

  it('refills while the caller works, never beyond its capacity', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, now: clock.now, sleep: clock.sleep });
    await bucket.take(2);
    clock.advance(60_000);
    expect(bucket.available()).toBe(2);
    await bucket.take(2);
    expect(clock.sleeps).toEqual([]);
  });

  it('handles rates below one per second', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 0.5, now: clock.now, sleep: clock.sleep });
    expect(bucket.capacity).toBe(1);
    await bucket.take();
    await bucket.take();
    expect(clock.sleeps).toEqual([2000]);
  });

  it('refuses a take above its capacity and a rate of 0', async () => {
    const clock = fakeClock();
    await expect(new TokenBucket({ ratePerSecond: 3, now: clock.now, sleep: clock.sleep }).take(4)).rejects.toThrow(/1 to 3 tokens/);
    expect(() => new TokenBucket({ ratePerSecond: 0, now: clock.now, sleep: clock.sleep })).toThrow(/above 0/);
  });
});
