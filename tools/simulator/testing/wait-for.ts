/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many milliseconds. Default 5000. */
  readonly timeoutMs?: number;
  /** Check every this many milliseconds. Default 10. */
  readonly intervalMs?: number;
}

/**
 * Resolves once `condition` returns true; rejects after `timeoutMs`. Tests wait on a
 * condition, never on a bare sleep, so they are neither slow nor flaky.
 */
export async function waitFor(condition: () => boolean, options: WaitForOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
