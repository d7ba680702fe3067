import { mulberry32 } from '../../simulator/seeded-random';

/** One planned retry: which item, on which key, with which delay, in which burst. */
export interface PlannedRetry {
  itemId: string;
  key: string;
  /** Delay from publication to due time, in milliseconds. */
  delayMs: number;
  /** Index of the burst it is published in. */
  burst: number;
}

export interface HostileMixOptions {
  /** Retries in all. */
  count: number;
  /** Bursts they are published in (one produce call each). */
  bursts: number;
  /** Keys per burst; consecutive bursts use different keys, all spread over the partitions by murmur2. */
  keysPerBurst: number;
  /** Long delays, in milliseconds, [min, max). */
  longMs: readonly [number, number];
  /** Short delays, in milliseconds, [min, max). */
  shortMs: readonly [number, number];
  /** Fraction of the retries with a long delay. */
  longShare: number;
  seed: number;
}

/**
 * A deliberately hostile order: within every burst each key gets its long
 * delays first, then its short ones, longest first, and keys are interleaved
 * (position 0 of every key, then position 1, ...). So every short retry enters
 * its partition behind longer ones, on the failed topic and again on its delay
 * tier, which is what head-of-line blocking would punish.
 */
export function hostileMix(options: HostileMixOptions): PlannedRetry[] {
  const random = mulberry32(options.seed);
  const between = ([min, max]: readonly [number, number]): number => Math.floor(min + random() * (max - min));
  const perBurst = Math.ceil(options.count / options.bursts);
  const planned: PlannedRetry[] = [];
  for (let burst = 0; burst < options.bursts && planned.length < options.count; burst++) {
    const inBurst = Math.min(perBurst, options.count - planned.length);
    const perKey = Math.ceil(inBurst / options.keysPerBurst);
    const byKey = Array.from({ length: options.keysPerBurst }, (_, k) => ({
      // Keys repeat every third burst, so a key's partitions also hold its earlier, longer retries.
      key: `key-${burst % 3}-${k}`,
      delays: Array.from({ length: perKey }, () =>
        random() < options.longShare ? between(options.longMs) : between(options.shortMs),
      ).sort((a, b) => b - a),
    }));
    let published = 0;
    for (let position = 0; position < perKey; position++) {
      for (const { key, delays } of byKey) {
        const delayMs = delays[position];
        if (delayMs === undefined || published === inBurst) continue;
        planned.push({ itemId: `bench-${burst}-${planned.length}`, key, delayMs, burst });
        published += 1;
      }
    }
  }
  return planned;
}
