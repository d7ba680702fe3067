import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidStackSettingError } from './errors';
import { KafkaVersion } from './kafka-version';
import { STACK_HOST } from './stack-host';

/** Broker counts the local stack runs: a single node (the default) or a three-node KRaft cluster. */
export const SUPPORTED_BROKER_COUNTS: readonly number[] = [1, 3];

/** One Kafka node: broker and KRaft controller in one process. */
export interface KafkaNodeSpec {
  /** Position in KAFKA_BROKERS, from 0; what stopBroker/startBroker/killBroker take. */
  index: number;
  /** node.id, index + 1. */
  nodeId: number;
  /** PLAINTEXT client listener on 127.0.0.1. */
  port: number;
  /** KRaft controller listener on 127.0.0.1. */
  controllerPort: number;
}

/** Replication defaults the brokers get (topics created without their own settings, internal topics). */
export interface KafkaReplication {
  /** default.replication.factor and the internal topics' replication factor. */
  replicationFactor: number;
  /** min.insync.replicas and transaction.state.log.min.isr. */
  minInsyncReplicas: number;
}

/** The Kafka the stack runs: which version, how many nodes, where. */
export interface KafkaTopology {
  version: string;
  brokers: number;
  nodes: KafkaNodeSpec[];
  replication: KafkaReplication;
}

/**
 * Replication factor 3 and min.insync.replicas 2 for a cluster of 3 (acks=all then survives one
 * broker down, and never acknowledges a write held by the leader alone); 1 and 1 for a single node.
 */
export function replicationFor(brokers: number): KafkaReplication {
  const replicationFactor = Math.min(brokers, 3);
  return { replicationFactor, minInsyncReplicas: Math.max(1, replicationFactor - 1) };
}

/** Reads STACK_KAFKA_BROKERS / `--brokers`; throws {@link InvalidStackSettingError} for anything but 1 or 3. */
export function parseBrokerCount(value: string | number, setting = 'STACK_KAFKA_BROKERS'): number {
  const count = typeof value === 'number' ? value : Number(value.trim());
  if (!SUPPORTED_BROKER_COUNTS.includes(count)) {
    throw new InvalidStackSettingError(setting, String(value), `one of ${SUPPORTED_BROKER_COUNTS.join(', ')}`);
  }
  return count;
}

/**
 * Node i listens on `kafka + 2i` for clients and `kafkaController + 2i` for the controller, so with
 * the defaults a cluster of 3 uses 9092/9093, 9094/9095 and 9096/9097, and node 0 keeps the ports of
 * a single node. Throws {@link InvalidStackSettingError} when two listeners would share a port
 * (e.g. STACK_KAFKA_CONTROLLER_PORT = STACK_KAFKA_PORT + 2 with 3 brokers) or one takes `otherPorts`.
 */
export function planKafkaTopology(
  version: KafkaVersion,
  brokers: number,
  ports: { kafka: number; kafkaController: number },
  otherPorts: readonly number[] = [],
): KafkaTopology {
  const nodes = Array.from({ length: brokers }, (_, index): KafkaNodeSpec => ({
    index,
    nodeId: index + 1,
    port: ports.kafka + 2 * index,
    controllerPort: ports.kafkaController + 2 * index,
  }));
  const used = [...nodes.flatMap((node) => [node.port, node.controllerPort]), ...otherPorts];
  const clash = used.find((port, position) => used.indexOf(port) !== position);
  if (clash !== undefined || used.some((port) => port > 65_535)) {
    throw new InvalidStackSettingError(
      'STACK_KAFKA_PORT / STACK_KAFKA_CONTROLLER_PORT',
      `${ports.kafka} / ${ports.kafkaController}`,
      `ports whose ${brokers} client and controller listeners (port + 2i and controller port + 2i) ` +
        `are distinct, below 65536 and apart from the registry and Redis ports` +
        (clash !== undefined ? ` (${clash} would be used twice)` : ''),
    );
  }
  return { version: version.text, brokers, nodes, replication: replicationFor(brokers) };
}

/** KAFKA_BROKERS for a topology, e.g. `127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096`. */
export function brokerAddresses(topology: Pick<KafkaTopology, 'nodes'>): string {
  return topology.nodes.map((node) => `${STACK_HOST}:${node.port}`).join(',');
}

/** e.g. `Kafka 4.4.0, 3 brokers on 127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096`. */
export function describeTopology(topology: KafkaTopology): string {
  return `Kafka ${topology.version}, ${topology.brokers} broker${topology.brokers === 1 ? '' : 's'} on ${brokerAddresses(topology)}`;
}

/** True when two topologies run the same version on the same nodes. */
export function sameTopology(a: KafkaTopology, b: KafkaTopology): boolean {
  return (
    a.version === b.version &&
    a.brokers === b.brokers &&
    a.nodes.every((node, index) => node.port === b.nodes[index]?.port && node.controllerPort === b.nodes[index]?.controllerPort)
  );
}

/** The topology the last start wrote into the state folder, so status, down and the broker helpers follow what runs. */
export function readRecordedTopology(file: string): KafkaTopology | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KafkaTopology>;
    if (typeof parsed.version !== 'string' || typeof parsed.brokers !== 'number' || !Array.isArray(parsed.nodes)) return undefined;
    return {
      version: parsed.version,
      brokers: parsed.brokers,
      nodes: parsed.nodes,
      replication: parsed.replication ?? replicationFor(parsed.brokers),
    };
  } catch {
    return undefined;
  }
}

export function recordTopology(file: string, topology: KafkaTopology): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(topology, null, 2)}\n`);
}
