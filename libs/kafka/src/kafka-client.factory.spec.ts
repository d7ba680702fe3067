import { createServer, type AddressInfo, type Server } from 'node:net';
import { loadConfig } from '@workpipe/config';
import { createLogger } from '@workpipe/logging';
import { Kafka } from 'kafkajs';
import { kafkaClientOptions } from './kafka-client.factory';

const logger = createLogger({ service: 'test', level: 'silent' });

/** The kafkajs options a processor would build from this environment. */
function optionsFrom(env: Record<string, string>) {
  return kafkaClientOptions(loadConfig('processor', env).kafka, logger);
}

describe('kafkaClientOptions', () => {
  it('connects in plain text without SASL by default', () => {
    const options = optionsFrom({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' });
    expect(options.ssl).toBe(false);
    expect(options.sasl).toBeUndefined();
    expect(options.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(options.clientId).toBe('workpipe-processor');
  });

  it('turns KAFKA_SSL=true into TLS with the default CAs (ssl: true)', () => {
    const options = optionsFrom({ KAFKA_BROKERS: 'kafka.example.com:9093', KAFKA_SSL: 'true' });
    expect(options.ssl).toBe(true);
    expect(options.sasl).toBeUndefined();
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    'gives SASL %s over TLS the mechanism, username and password of KAFKA_SASL_*',
    (mechanism) => {
      const options = optionsFrom({
        KAFKA_BROKERS: 'kafka.example.com:9096',
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'workpipe-svc',
        KAFKA_SASL_PASSWORD: 's3cret:with@chars',
      });
      expect(options.ssl).toBe(true);
      expect(options.sasl).toEqual({ mechanism, username: 'workpipe-svc', password: 's3cret:with@chars' });
    },
  );

  it('keeps SASL without TLS when only KAFKA_SASL_* is set (SASL_PLAINTEXT)', () => {
    const options = optionsFrom({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(options.ssl).toBe(false);
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 'p' });
  });
});

describe('the client of these options', () => {
  let server: Server;
  let firstBytes: Promise<Buffer>;

  beforeEach(async () => {
    let received: (bytes: Buffer) => void = () => undefined;
    firstBytes = new Promise((resolve) => (received = resolve));
    server = createServer((socket) => {
      socket.once('data', (bytes) => {
        received(bytes);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** What a client of these options (as createKafka builds it) writes first on the wire. */
  async function firstBytesSent(env: Record<string, string>): Promise<Buffer> {
    const { port } = server.address() as AddressInfo;
    const config = loadConfig('processor', { KAFKA_BROKERS: `127.0.0.1:${port}`, ...env }).kafka;
    // createKafka's client, without its reconnect attempts (the server hangs up after the first bytes).
    const admin = new Kafka({ ...kafkaClientOptions(config, logger), retry: { retries: 0 } }).admin();
    const connecting = admin.connect().catch(() => undefined);
    const bytes = await firstBytes;
    await connecting;
    await admin.disconnect();
    return bytes;
  }

  it('opens a TLS session (a ClientHello) when KAFKA_SSL=true', async () => {
    const bytes = await firstBytesSent({ KAFKA_SSL: 'true' });
    // TLS record type 22 (handshake), version 3.x, then handshake type 1 (ClientHello).
    expect([bytes[0], bytes[1], bytes[5]]).toEqual([0x16, 0x03, 0x01]);
  });

  it('speaks the Kafka protocol in the clear without KAFKA_SSL', async () => {
    const bytes = await firstBytesSent({});
    // A size-prefixed request whose API key is ApiVersions (18).
    expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
    expect(bytes.readInt16BE(4)).toBe(18);
  });
});
