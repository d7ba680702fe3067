/** Nothing answers PING on the Redis port and there is no `redis-server` to start. */
export class RedisNotInstalledError extends Error {
  override readonly name = 'RedisNotInstalledError';
  readonly retryable = false;

  constructor(
    /** The port where a Redis was looked for. */
    readonly port: number,
  ) {
    super(
      `No Redis answers on 127.0.0.1:${port} and redis-server is not installed.\n` +
        'Install it with `apt-get install redis-server` (or start any Redis on that port), then run the command again.',
    );
  }
}
