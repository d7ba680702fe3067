/**
 * The faults a chaos run injects, each a real event of production:
 * - `kill-processor`, `kill-retrier`, `kill-stats`: `kill -9` of that service's process
 *   (of one of the processor instances), started again after the down time;
 * - `restart-broker`: a controlled stop of a broker (SIGTERM), started again after the down time;
 * - `kill-broker`: SIGKILL of a broker (a crash), started again after the down time;
 * - `flush-redis`: every Redis key of the run deleted at once (one script run under its prefix, as FLUSHALL would).
 */
export const FAULT_KINDS = ['kill-processor', 'kill-retrier', 'kill-stats', 'restart-broker', 'kill-broker', 'flush-redis'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The faults that act on a broker (and so need the local stack). */
export const BROKER_FAULTS: readonly FaultKind[] = ['restart-broker', 'kill-broker'];

export function isBrokerFault(kind: FaultKind): boolean {
  return BROKER_FAULTS.includes(kind);
}
