import { connect } from 'node:net';

/**
 * Resolves once one of the brokers accepts a TCP connection, rejects when none
 * does within `timeoutMs`. A preflight for the CLI: kafkajs retries a dead
 * broker for about a minute (the services' retry settings, shared through
 * `createKafka`), and those retries cannot be cancelled, so without it an
 * operator would wait a minute to hear that Kafka is down.
 *
 * @param brokers `host:port` entries, e.g. `127.0.0.1:9092` or `[::1]:9092`
 */
export async function probeBrokers(brokers: readonly string[], timeoutMs: number): Promise<void> {
  const failures: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let pending = brokers.length;
    if (pending === 0) reject(new Error('no broker is configured (KAFKA_BROKERS)'));
    for (const broker of brokers) {
      const { host, port } = splitHostPort(broker);
      const socket = connect({ host, port, timeout: timeoutMs });
      const settle = (error?: string) => {
        socket.destroy();
        if (error === undefined) return resolve();
        failures.push(`${broker}: ${error}`);
        pending -= 1;
        if (pending === 0) reject(new Error(`no broker accepted a connection (${failures.join('; ')})`));
      };
      socket.once('connect', () => settle());
      socket.once('timeout', () => settle(`no answer within ${timeoutMs} ms`));
      socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
    }
  });
}

export function splitHostPort(broker: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(broker.trim());
  if (!match) return { host: broker.trim(), port: 9092 };
  return { host: match[1] as string, port: Number(match[2]) };
}
