import { PartitionWindow } from './partition-window';

type Window = PartitionWindow<string, string>;

function admitAll(window: Window, messages: [number, string][]): void {
  for (const [offset, key] of messages) expect(window.admit(BigInt(offset), key, `m${offset}`)).toBe(true);
}

/** Starts every runnable message; returns their offsets in start order. */
function startAll(window: Window): number[] {
  const started: number[] = [];
  for (let entry = window.startNext(); entry; entry = window.startNext()) started.push(Number(entry.offset));
  return started;
}

function finishOffset(window: Window, offset: number): void {
  const entry = window.running().find((candidate) => candidate.offset === BigInt(offset));
  if (!entry) throw new Error(`offset ${offset} is not running`);
  window.finish(entry, `r${offset}`);
}

describe('PartitionWindow', () => {
  it('runs one key in order while other keys go past a slow message', () => {
    const window: Window = new PartitionWindow(10n, 100, 'key');
    admitAll(window, [
      [10, 'a'],
      [11, 'b'],
      [12, 'a'],
      [13, 'c'],
      [14, 'b'],
    ]);
    expect(startAll(window)).toEqual([10, 11, 13]);
    finishOffset(window, 11);
    expect(startAll(window)).toEqual([14]);
    finishOffset(window, 10);
    expect(startAll(window)).toEqual([12]);
  });

  it('commits only the done prefix: the watermark is the first unfinished offset', () => {
    const window: Window = new PartitionWindow(0n, 100, 'key');
    admitAll(window, [
      [0, 'slow'],
      [1, 'b'],
      [2, 'c'],
    ]);
    startAll(window);
    finishOffset(window, 1);
    finishOffset(window, 2);
    expect(window.watermark()).toBe(0n);
    expect(window.takeCommittable()).toBeUndefined();
    finishOffset(window, 0);
    expect(window.takeCommittable()).toEqual({ results: ['r0', 'r1', 'r2'], commitOffset: 3n, count: 3 });
    expect(window.takeCommittable()).toBeUndefined();
    expect(window.size).toBe(0);
  });

  it('hands over results with the offset that covers them and keeps the rest', () => {
    const window: Window = new PartitionWindow(5n, 100, 'none');
    admitAll(window, [
      [5, 'a'],
      [6, 'a'],
      [7, 'a'],
    ]);
    expect(startAll(window)).toEqual([5, 6, 7]);
    finishOffset(window, 5);
    finishOffset(window, 7);
    expect(window.takeCommittable()).toEqual({ results: ['r5'], commitOffset: 6n, count: 1 });
    finishOffset(window, 6);
    expect(window.takeCommittable()).toEqual({ results: ['r6', 'r7'], commitOffset: 8n, count: 2 });
  });

  it('accepts offsets with gaps (compaction, transaction markers) and commits past the last one', () => {
    const window: Window = new PartitionWindow(0n, 100, 'key');
    admitAll(window, [
      [0, 'a'],
      [3, 'b'],
    ]);
    expect(window.expectedOffset).toBe(4n);
    startAll(window);
    finishOffset(window, 0);
    finishOffset(window, 3);
    expect(window.takeCommittable()?.commitOffset).toBe(4n);
  });

  it('is bounded: refuses a message once full, and makes room as the done prefix is taken', () => {
    const window: Window = new PartitionWindow(0n, 2, 'none');
    admitAll(window, [
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(window.isFull).toBe(true);
    expect(window.admit(2n, 'c', 'm2')).toBe(false);
    startAll(window);
    finishOffset(window, 0);
    window.takeCommittable();
    expect(window.admit(2n, 'c', 'm2')).toBe(true);
  });

  it('ignores a message fetched again before the expected offset', () => {
    const window: Window = new PartitionWindow(0n, 10, 'key');
    admitAll(window, [[0, 'a']]);
    expect(window.admit(0n, 'a', 'again')).toBe(true);
    expect(window.size).toBe(1);
  });

  it('puts a retried message back in front, keeping its key behind it', () => {
    const window: Window = new PartitionWindow(0n, 10, 'key');
    admitAll(window, [
      [0, 'a'],
      [1, 'a'],
      [2, 'b'],
    ]);
    const first = window.startNext();
    window.retry(first!);
    expect(startAll(window)).toEqual([0, 2]);
    finishOffset(window, 0);
    expect(startAll(window)).toEqual([1]);
  });

  it('with a large window keeps per-key order over many keys (model check)', () => {
    const window: Window = new PartitionWindow(0n, 10_000, 'key');
    const keys = ['a', 'b', 'c', 'd'];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const lastFinished = new Map<string, number>();
    let offset = 0;
    for (let round = 0; round < 2000; round++) {
      if (random() < 0.6) window.admit(BigInt(offset), keys[Math.floor(random() * 4)] as string, `m${offset++}`);
      window.startNext();
      const running = window.running();
      if (running.length > 0 && random() < 0.5) {
        const entry = running[Math.floor(random() * running.length)]!;
        const previous = lastFinished.get(entry.key) ?? -1;
        expect(Number(entry.offset)).toBeGreaterThan(previous);
        lastFinished.set(entry.key, Number(entry.offset));
        window.finish(entry, `r${entry.offset}`);
      }
      const taken = window.takeCommittable();
      if (taken) expect(taken.commitOffset).toBeLessThanOrEqual(BigInt(offset));
    }
  });
});
