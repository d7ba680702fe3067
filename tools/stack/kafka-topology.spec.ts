import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidStackSettingError } from './errors';
import {
  brokerAddresses,
  describeTopology,
  parseBrokerCount,
  planKafkaTopology,
  readRecordedTopology,
  recordTopology,
  replicationFor,
  sameTopology,
} from './kafka-topology';
import { parseKafkaVersion } from './kafka-version';

const V4 = parseKafkaVersion('4.4.0');
const DEFAULT_PORTS = { kafka: 9092, kafkaController: 9093 };

describe('planKafkaTopology', () => {
  it('keeps the single node on 9092/9093 with replication 1', () => {
    const single = planKafkaTopology(V4, 1, DEFAULT_PORTS);
    expect(single.nodes).toEqual([{ index: 0, nodeId: 1, port: 9092, controllerPort: 9093 }]);
    expect(single.replication).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(brokerAddresses(single)).toBe('127.0.0.1:9092');
  });

  it('puts broker i of a cluster on port + 2i and controller port + 2i, node.id i + 1', () => {
    const cluster = planKafkaTopology(V4, 3, { kafka: 19192, kafkaController: 19193 });
    expect(cluster.nodes.map((node) => [node.nodeId, node.port, node.controllerPort])).toEqual([
      [1, 19192, 19193],
      [2, 19194, 19195],
      [3, 19196, 19197],
    ]);
    expect(brokerAddresses(cluster)).toBe('127.0.0.1:19192,127.0.0.1:19194,127.0.0.1:19196');
    expect(describeTopology(cluster)).toBe('Kafka 4.4.0, 3 brokers on 127.0.0.1:19192,127.0.0.1:19194,127.0.0.1:19196');
  });

  it('refuses ports where two listeners would meet, or the registry or Redis port', () => {
    expect(() => planKafkaTopology(V4, 3, { kafka: 9092, kafkaController: 9094 })).toThrow(InvalidStackSettingError);
    expect(() => planKafkaTopology(V4, 3, { kafka: 9092, kafkaController: 9094 })).toThrow(/9094 would be used twice/);
    expect(() => planKafkaTopology(V4, 1, { kafka: 8081, kafkaController: 8082 }, [8081, 6379])).toThrow(/8081 would be used twice/);
    expect(() => planKafkaTopology(V4, 3, { kafka: 65_532, kafkaController: 65_533 })).toThrow(/below 65536/);
  });
});

describe('replicationFor', () => {
  it('is replication factor 3 and min.insync.replicas 2 for three brokers, 1 and 1 for one', () => {
    expect(replicationFor(3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(replicationFor(1)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
  });
});

describe('parseBrokerCount', () => {
  it('accepts 1 and 3', () => {
    expect(parseBrokerCount('3')).toBe(3);
    expect(parseBrokerCount(1)).toBe(1);
  });

  it.each(['2', '0', 'three', '5'])('rejects %s, naming the setting', (value) => {
    expect(() => parseBrokerCount(value, '--brokers')).toThrow('--brokers must be one of 1, 3; got "' + value + '".');
  });
});

describe('the recorded topology', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-topology-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what was recorded', () => {
    const file = join(dir, 'kafka', 'topology.json');
    const cluster = planKafkaTopology(V4, 3, DEFAULT_PORTS);
    expect(readRecordedTopology(file)).toBeUndefined();
    recordTopology(file, cluster);
    const read = readRecordedTopology(file);
    expect(read).toEqual(cluster);
    expect(sameTopology(read!, cluster)).toBe(true);
  });

  it('tells topologies apart by version, broker count and ports', () => {
    const single = planKafkaTopology(V4, 1, DEFAULT_PORTS);
    expect(sameTopology(single, planKafkaTopology(parseKafkaVersion('3.9.1'), 1, DEFAULT_PORTS))).toBe(false);
    expect(sameTopology(single, planKafkaTopology(V4, 3, DEFAULT_PORTS))).toBe(false);
    expect(sameTopology(single, planKafkaTopology(V4, 1, { kafka: 19092, kafkaController: 19093 }))).toBe(false);
  });
});
