import { CLUSTER_FAILURE_DETECTION, KafkaServerSettings, generateClusterId, renderServerProperties } from './kafka-server-properties';
import { planKafkaTopology } from './kafka-topology';
import { parseKafkaVersion } from './kafka-version';

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

function settingsFor(version: string, brokers: number, index = 0, ports = { kafka: 9092, kafkaController: 9093 }): KafkaServerSettings {
  const parsed = parseKafkaVersion(version);
  const topology = planKafkaTopology(parsed, brokers, ports);
  return {
    host: '127.0.0.1',
    node: topology.nodes[index],
    voters: topology.nodes,
    dataDir: `/work/main/.stack/kafka/${version}/data`,
    numPartitions: 3,
    replication: topology.replication,
    line: parsed.major === 3 ? 3 : 4,
  };
}

describe('renderServerProperties for a single node', () => {
  const properties = parseProperties(renderServerProperties(settingsFor('4.4.0', 1)));

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
      'default.replication.factor': '1',
      'min.insync.replicas': '1',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
      'num.partitions': '3',
      'log.dirs': '/work/main/.stack/kafka/4.4.0/data',
    });
  });

  it('keeps the default failure detection of a single node', () => {
    expect(properties['broker.session.timeout.ms']).toBeUndefined();
    expect(properties['replica.lag.time.max.ms']).toBeUndefined();
  });

  it('follows other ports', () => {
    const other = parseProperties(renderServerProperties(settingsFor('4.4.0', 1, 0, { kafka: 19092, kafkaController: 19093 })));
    expect(other['controller.quorum.voters']).toBe('1@127.0.0.1:19093');
    expect(other['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:19092');
  });
});

describe('renderServerProperties per Kafka line', () => {
  it('sets the 4.x share-group coordinator topic like the other internal topics', () => {
    const properties = parseProperties(renderServerProperties(settingsFor('4.4.0', 1)));
    expect(properties['share.coordinator.state.topic.replication.factor']).toBe('1');
    expect(properties['share.coordinator.state.topic.min.isr']).toBe('1');
  });

  it('writes no setting that 3.9 does not know', () => {
    const properties = parseProperties(renderServerProperties(settingsFor('3.9.1', 1)));
    expect(Object.keys(properties).filter((key) => key.startsWith('share.'))).toEqual([]);
    expect(properties['controller.quorum.voters']).toBe('1@127.0.0.1:9093');
  });
});

describe('renderServerProperties for broker 1 of a cluster of 3', () => {
  const properties = parseProperties(renderServerProperties(settingsFor('4.4.0', 3, 1)));

  it('names all three controllers and listens on its own ports', () => {
    expect(properties['node.id']).toBe('2');
    expect(properties['controller.quorum.voters']).toBe('1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097');
    expect(properties.listeners).toBe('PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095');
    expect(properties['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:9094');
  });

  it('replicates 3 ways with min.insync.replicas 2, internal topics included', () => {
    expect(properties).toMatchObject({
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'share.coordinator.state.topic.replication.factor': '3',
      'share.coordinator.state.topic.min.isr': '2',
    });
  });

  it('detects a killed broker faster than Kafka does by default', () => {
    expect(properties['broker.session.timeout.ms']).toBe(String(CLUSTER_FAILURE_DETECTION.brokerSessionTimeoutMs));
    expect(properties['broker.heartbeat.interval.ms']).toBe(String(CLUSTER_FAILURE_DETECTION.brokerHeartbeatIntervalMs));
    expect(properties['replica.lag.time.max.ms']).toBe(String(CLUSTER_FAILURE_DETECTION.replicaLagTimeMaxMs));
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
