import { randomBytes } from 'node:crypto';

/** Settings of the single-node KRaft broker that {@link renderServerProperties} writes. */
export interface KafkaServerSettings {
  /** Address both listeners bind to and the broker advertises. */
  host: string;
  /** PLAINTEXT client listener port, e.g. 9092. */
  port: number;
  /** KRaft controller listener port, e.g. 9093. */
  controllerPort: number;
  /** node.id, also the single controller voter. */
  nodeId: number;
  /** Where partitions and the metadata log live. */
  dataDir: string;
  /** Partitions of a topic created without an explicit count. */
  numPartitions: number;
}

/** Partitions for topics created without a count: enough to exercise consumer groups on a dev machine. */
export const DEFAULT_NUM_PARTITIONS = 3;

/**
 * server.properties for a dev single node: broker and controller in one process, replication
 * factors of 1 for the internal topics, no rebalance delay (faster consumer group joins in tests)
 * and no auto-created topics (the apps provision theirs explicitly, so a typo fails loudly).
 */
export function renderServerProperties(settings: KafkaServerSettings): string {
  const { host, port, controllerPort, nodeId } = settings;
  const lines: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', nodeId],
    ['controller.quorum.voters', `${nodeId}@${host}:${controllerPort}`],
    ['listeners', `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${host}:${port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['log.dirs', settings.dataDir],
    ['num.partitions', settings.numPartitions],
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', 'false'],
    ['delete.topic.enable', 'true'],
  ];
  return [
    '# Written by tools/stack on every start: edit tools/stack/kafka-server-properties.ts, not this file.',
    ...lines.map(([key, value]) => `${key}=${value}`),
    '',
  ].join('\n');
}

/**
 * A KRaft cluster id: 16 random bytes in URL-safe base64 without padding (22 characters), as
 * `kafka-storage random-uuid` prints. Like Kafka's Uuid.randomUuid, ids starting with `-` are
 * skipped, since a command line would read them as an option.
 */
export function generateClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
