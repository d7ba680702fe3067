/** `docker compose` failed, or Docker mode was asked for without a reachable Docker engine. */
export class DockerComposeFailedError extends Error {
  override readonly name = 'DockerComposeFailedError';
  readonly retryable = false;

  constructor(
    /** The command line that failed, or what was missing. */
    readonly command: string,
    /** What it printed, or why it could not run. */
    readonly output: string,
  ) {
    super(`${command} failed:\n${output}`);
  }
}
