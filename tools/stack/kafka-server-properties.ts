import { randomBytes } from 'node:crypto';
import { KafkaNodeSpec, KafkaReplication } from './kafka-topology';

/** Settings of one KRaft node (broker and controller in one process) that {@link renderServerProperties} writes. */
export interface KafkaServerSettings {
  /** Address both listeners bind to and the broker advertises. */
  host: string;
  /** This node: node.id and its two ports. */
  node: KafkaNodeSpec;
  /** Every controller of the quorum (this node included): one for a single node, three for a cluster. */
  voters: readonly KafkaNodeSpec[];
  /** Where partitions and the metadata log live. */
  dataDir: string;
  /** Partitions of a topic created without an explicit count. */
  numPartitions: number;
  /** Default replication of new topics and of the internal topics. */
  replication: KafkaReplication;
  /** The Kafka line (major version): some settings exist on one line only. */
  line: 3 | 4;
}

/** Partitions for topics created without a count: enough to exercise consumer groups on a dev machine. */
export const DEFAULT_NUM_PARTITIONS = 3;

/**
 * Failure detection of a cluster, in milliseconds: a broker killed with SIGKILL is fenced (and
 * dropped from every ISR, so acks=all writes go on without it) after the session timeout, 6 s
 * instead of Kafka's 9 s; a follower that stops fetching leaves the ISR after 10 s instead of 30 s.
 * Chaos tests kill brokers on purpose, and on 2 cores a shorter session risks spurious fencing.
 */
export const CLUSTER_FAILURE_DETECTION = {
  brokerHeartbeatIntervalMs: 1_000,
  brokerSessionTimeoutMs: 6_000,
  replicaLagTimeMaxMs: 10_000,
} as const;

/**
 * server.properties for a dev KRaft node: broker and controller in one process, a static quorum
 * (`controller.quorum.voters`, valid on 3.x and 4.x), no rebalance delay (faster consumer group
 * joins in tests) and no auto-created topics (the apps provision theirs explicitly, so a typo
 * fails loudly). Replication follows {@link KafkaServerSettings.replication}: 1 for a single node,
 * 3 with min.insync.replicas 2 for a cluster of 3. Nothing here was removed or renamed in 4.0
 * (which dropped ZooKeeper, message-format and `offsets.commit.required.acks` settings, none used);
 * the share-group coordinator's topic settings (4.x only) follow the same replication.
 */
export function renderServerProperties(settings: KafkaServerSettings): string {
  const { host, node, voters, replication } = settings;
  const lines: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', node.nodeId],
    ['controller.quorum.voters', voters.map((voter) => `${voter.nodeId}@${host}:${voter.controllerPort}`).join(',')],
    ['listeners', `PLAINTEXT://${host}:${node.port},CONTROLLER://${host}:${node.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${host}:${node.port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['log.dirs', settings.dataDir],
    ['num.partitions', settings.numPartitions],
    ['default.replication.factor', replication.replicationFactor],
    ['min.insync.replicas', replication.minInsyncReplicas],
    ['offsets.topic.replication.factor', replication.replicationFactor],
    ['transaction.state.log.replication.factor', replication.replicationFactor],
    ['transaction.state.log.min.isr', replication.minInsyncReplicas],
    ...(settings.line === 4
      ? ([
          ['share.coordinator.state.topic.replication.factor', replication.replicationFactor],
          ['share.coordinator.state.topic.min.isr', replication.minInsyncReplicas],
        ] as [string, number][])
      : []),
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', 'false'],
    ['delete.topic.enable', 'true'],
    ...(voters.length > 1
      ? ([
          ['broker.heartbeat.interval.ms', CLUSTER_FAILURE_DETECTION.brokerHeartbeatIntervalMs],
          ['broker.session.timeout.ms', CLUSTER_FAILURE_DETECTION.brokerSessionTimeoutMs],
          ['replica.lag.time.max.ms', CLUSTER_FAILURE_DETECTION.replicaLagTimeMaxMs],
        ] as [string, number][])
      : []),
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
