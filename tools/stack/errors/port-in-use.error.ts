/** A stack port is taken by a process that is not ours and does not behave like the expected service. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly retryable = false;

  constructor(
    /** The stack part that needs the port, e.g. `Kafka`. */
    readonly component: string,
    /** The TCP port on 127.0.0.1. */
    readonly port: number,
  ) {
    super(
      `${component} cannot start: 127.0.0.1:${port} is already taken by another process that does not answer as ${component}.\n` +
        `Find it with \`ss -ltnp 'sport = :${port}'\` and stop it, then run the command again.`,
    );
  }
}
