import { setTimeout as delay } from 'node:timers/promises';

/** Where a command writes text; `isTTY` and `columns` drive the progress bar. */
export interface OutputStream {
  write(text: string): unknown;
  /** True for an interactive terminal: a live progress bar instead of one line per batch. */
  isTTY?: boolean;
  /** Terminal width in characters, when known. */
  columns?: number;
}

/**
 * Everything a command touches outside its arguments, so tests can run the CLI
 * in-process, capture its output and control time and randomness.
 */
export interface CliIo {
  /** Results (summaries). Default `process.stdout`. */
  stdout: OutputStream;
  /** Progress, retries and errors. Default `process.stderr`. */
  stderr: OutputStream;
  /** Environment variables (`INGESTOR_URL`, `API_KEY`). Default `process.env`. */
  env: Readonly<Record<string, string | undefined>>;
  /** HTTP client. Default the global `fetch`. */
  fetch: typeof fetch;
  /** Waits this many milliseconds. Default a timer. */
  sleep: (ms: number) => Promise<void>;
  /** Current time, epoch milliseconds. Default `Date.now`. */
  now: () => number;
  /** Uniform number in [0, 1): backoff jitter and generated ids. Default `Math.random`. */
  random: () => number;
}

export function resolveIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    fetch: (input, init) => fetch(input, init),
    sleep: (ms) => delay(ms),
    now: () => Date.now(),
    random: () => Math.random(),
    ...overrides,
  };
}
