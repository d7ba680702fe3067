import { createServer } from 'node:net';
import { probeBrokers, splitHostPort } from './broker-probe';

describe('probeBrokers', () => {
  it('resolves when one broker of the list accepts a connection', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(probeBrokers(['127.0.0.1:1', `127.0.0.1:${port}`], 2000)).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('rejects naming every broker when none does', async () => {
    await expect(probeBrokers(['127.0.0.1:1', '127.0.0.1:2'], 2000)).rejects.toThrow(
      /no broker accepted a connection \(127\.0\.0\.1:1: ECONNREFUSED; 127\.0\.0\.1:2: ECONNREFUSED\)/,
    );
    await expect(probeBrokers([], 2000)).rejects.toThrow(/no broker is configured/);
  });

  it('splits host and port, IPv6 included', () => {
    expect(splitHostPort('kafka-1:9093')).toEqual({ host: 'kafka-1', port: 9093 });
    expect(splitHostPort('[::1]:9092')).toEqual({ host: '::1', port: 9092 });
    expect(splitHostPort('kafka')).toEqual({ host: 'kafka', port: 9092 });
  });
});
