import type { SimulatorStats } from './call-ledger';
import { DownstreamSimulator } from './downstream-simulator';
import { SimulatorOptionError } from './errors/simulator-option-error';
import type { FailureProfile } from './failure-profile.schema';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  PortSchema,
  type SimulatorOptions,
  type SimulatorResetOptions,
} from './simulator-options';

/** A running simulator. */
export interface SimulatorHandle {
  /** Base URL, e.g. `http://127.0.0.1:53411` (no trailing slash). */
  readonly url: string;
  /** The bound port (the real one when started with port 0). */
  readonly port: number;
  /** The bound host. */
  readonly host: string;
  /** Seed in use (changes on reset). */
  readonly seed: number;
  /** Failure profile in use (changes on reset). */
  readonly profile: FailureProfile;
  /** Counters since start or the last reset, as `GET /admin/stats` returns them. */
  stats(): SimulatorStats;
  /** Counters back to zero, optionally with a new seed or profile; throws on an invalid one. */
  reset(options?: SimulatorResetOptions): void;
  /** Cancels held responses, closes connections and the listener. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the simulated downstream API. Rejects with {@link SimulatorOptionError} or
 * `FailureProfileError` on invalid options, or with the listen error (e.g. EADDRINUSE).
 *
 * @example
 * const simulator = await startSimulator({ profile: 'always-timeout' });
 * await fetch(`${simulator.url}/portfolios/PF-0001/profitability-report`);
 * await simulator.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const port = options.port ?? DEFAULT_PORT;
  if (!PortSchema.safeParse(port).success) {
    throw new SimulatorOptionError(`port must be an integer in 0..65535, got ${port}`, 'port');
  }
  const host = options.host ?? DEFAULT_HOST;
  if (host.trim().length === 0) {
    throw new SimulatorOptionError('host must not be empty', 'host');
  }
  const simulator = new DownstreamSimulator(options);
  const address = await simulator.listen(port, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    get seed(): number {
      return simulator.currentSeed;
    },
    get profile(): FailureProfile {
      return simulator.currentProfile;
    },
    stats: () => simulator.stats(),
    reset: (resetOptions?: SimulatorResetOptions) => simulator.reset(resetOptions),
    close: () => simulator.close(),
  };
}
