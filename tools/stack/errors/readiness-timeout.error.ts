/** A stack part did not become ready within the allowed time. */
export class ReadinessTimeoutError extends Error {
  override readonly name = 'ReadinessTimeoutError';
  /** A slow machine may just need longer: retrying, or a longer STACK_READY_TIMEOUT_MS, may help. */
  readonly retryable = true;

  constructor(
    /** The stack part, e.g. `Kafka`. */
    readonly component: string,
    /** What was probed, e.g. `127.0.0.1:9092 (metadata)`. */
    readonly endpoint: string,
    /** How long we waited, in milliseconds. */
    readonly timeoutMs: number,
    /** Where to read the output: our log file, or a command such as `docker compose logs kafka`. */
    readonly logFile: string | undefined,
    /** The last probe failure. */
    readonly lastError: string | undefined,
  ) {
    super(
      `${component} was not ready at ${endpoint} after ${Math.round(timeoutMs / 1000)} s` +
        (lastError ? ` (last probe: ${lastError})` : '') +
        (logFile ? `. See its log: ${logFile}` : '.'),
    );
  }
}
