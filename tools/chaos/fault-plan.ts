import type { RandomSource } from '../simulator/seeded-random';
import type { FaultKind } from './fault-kind';

/** One fault of a run, decided before it starts. */
export interface FaultStep {
  /** Position in the plan, from 1. */
  number: number;
  kind: FaultKind;
  /** When it is due, in milliseconds after the load starts. */
  atMs: number;
  /** How long the killed or stopped part stays down before it is started again, in milliseconds (0 for a Redis flush). */
  downMs: number;
  /** Which processor instance a `kill-processor` kills, from 0; 0 for the other kinds. */
  instance: number;
}

export interface FaultPlanOptions {
  /** Every kind that must appear, once each, in a random order. */
  required: readonly FaultKind[];
  /** Kinds the remaining steps are drawn from (uniformly). Default: `required`. */
  pool?: readonly FaultKind[];
  /** Steps in all; at least `required.length`. */
  count: number;
  /** Faults are due within [fromMs, toMs] after the load starts, in milliseconds. */
  fromMs: number;
  toMs: number;
  /** Down time of a killed or stopped part is drawn in [min, max], in milliseconds. */
  minDownMs: number;
  maxDownMs: number;
  /** Processor instances a `kill-processor` may hit. */
  processors: number;
  random: RandomSource;
}

/**
 * A seeded fault plan: the required kinds once each, then `count - required.length` drawn from the
 * pool, shuffled (Fisher-Yates), due at times drawn uniformly in the window and sorted. The same
 * seed gives the same plan; when the faults run is up to the injector (one after the other, a step
 * due while the previous one recovers waits for it).
 */
export function planFaults(options: FaultPlanOptions): FaultStep[] {
  const pool = options.pool ?? options.required;
  if (options.count < options.required.length) {
    throw new RangeError(`a plan of ${options.count} faults cannot hold the ${options.required.length} required ones`);
  }
  if (pool.length === 0 && options.count > options.required.length) throw new RangeError('no fault kinds to draw from');
  if (options.toMs < options.fromMs || options.maxDownMs < options.minDownMs) throw new RangeError('an empty window');
  const { random } = options;
  const between = (min: number, max: number): number => Math.round(min + random() * (max - min));
  const kinds: FaultKind[] = [...options.required];
  while (kinds.length < options.count) kinds.push(pool[Math.floor(random() * pool.length)] as FaultKind);
  for (let i = kinds.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as FaultKind, kinds[i] as FaultKind];
  }
  const times = kinds.map(() => between(options.fromMs, options.toMs)).sort((a, b) => a - b);
  return kinds.map((kind, index) => ({
    number: index + 1,
    kind,
    atMs: times[index] as number,
    downMs: kind === 'flush-redis' ? 0 : between(options.minDownMs, options.maxDownMs),
    instance: kind === 'kill-processor' ? Math.floor(random() * options.processors) : 0,
  }));
}
