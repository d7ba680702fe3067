import { generateClusterId, renderServerProperties } from './kafka-server-properties';

function parseProperties(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.length > 0 && !line.startsWith('#'))
      .map((line) => {
        const separator = line.indexOf('=');
        return [line.slice(0, separator), line.slice(separator + 1)];
      }),
  );
}

describe('renderServerProperties', () => {
  const properties = parseProperties(
    renderServerProperties({
      host: '127.0.0.1',
      port: 9092,
      controllerPort: 9093,
      nodeId: 1,
      dataDir: '/work/main/.stack/kafka/data',
      numPartitions: 3,
    }),
  );

  it('describes a KRaft single node acting as broker and controller', () => {
    expect(properties).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      'controller.listener.names': 'CONTROLLER',
    });
  });

  it('listens for clients on 127.0.0.1:9092 and advertises the same address', () => {
    expect(properties.listeners).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(properties['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:9092');
    expect(properties['listener.security.protocol.map']).toBe('PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT');
  });

  it('uses replication factor 1 for internal topics, no rebalance delay and no auto-created topics', () => {
    expect(properties).toMatchObject({
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
      'num.partitions': '3',
      'log.dirs': '/work/main/.stack/kafka/data',
    });
  });

  it('follows other ports', () => {
    const other = parseProperties(
      renderServerProperties({ host: '127.0.0.1', port: 19092, controllerPort: 19093, nodeId: 7, dataDir: '/tmp/k', numPartitions: 1 }),
    );
    expect(other['controller.quorum.voters']).toBe('7@127.0.0.1:19093');
    expect(other['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:19092');
  });
});

describe('generateClusterId', () => {
  it('encodes 16 bytes as 22 URL-safe base64 characters', () => {
    expect(generateClusterId(() => Buffer.from('00112233445566778899aabbccddeeff', 'hex'))).toBe('ABEiM0RVZneImaq7zN3u_w');
    expect(generateClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });

  it('skips ids that start with "-" (a command line would read them as an option)', () => {
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x00)];
    expect(generateClusterId(() => draws.shift() as Buffer)).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });
});
