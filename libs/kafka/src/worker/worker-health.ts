/**
 * Where a consumer stands, for readiness:
 * - `starting`: joining its group, claiming and seeking its partitions;
 * - `running`: consuming (possibly with no partition assigned);
 * - `stuck`: running, but a message has been handled (or failing) longer than allowed;
 * - `recovering`: restarting its consumer after a crash;
 * - `stopped`: shut down on purpose;
 * - `failed`: gave up recovering (the process should exit and be restarted).
 */
export type WorkerState = 'starting' | 'running' | 'stuck' | 'recovering' | 'stopped' | 'failed';

export interface WorkerHealth {
  name: string;
  state: WorkerState;
  /** Why it is not running, when it is not. */
  detail?: string;
  /** Partitions assigned, as `topic/partition`. */
  partitions: string[];
  /** Messages being handled now. */
  inFlight: number;
  /** Consumer restarts since start. */
  restarts: number;
}

/** Ready means consuming and not stuck. */
export function isReady(health: WorkerHealth): boolean {
  return health.state === 'running';
}
