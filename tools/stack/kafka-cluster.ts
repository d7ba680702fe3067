import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaTopologyMismatchError, KafkaVersionMismatchError, StackStartError, UnknownBrokerError } from './errors';
import { findJavaRuntime, kafkaJavaRequirement } from './java-runtime';
import { KafkaBrokerNode, KafkaLaunchContext } from './kafka-broker-node';
import { evidenceMatches } from './kafka-broker-version';
import { ensureKafkaClasspath } from './kafka-classpath';
import { kafkaLineProfile } from './kafka-line';
import { generateClusterId } from './kafka-server-properties';
import { formattedClusterId } from './kafka-storage';
import {
  KafkaTopology,
  brokerAddresses,
  describeTopology,
  planKafkaTopology,
  readRecordedTopology,
  recordTopology,
  sameTopology,
} from './kafka-topology';
import { parseKafkaVersion } from './kafka-version';
import {
  ComponentDownResult,
  ComponentState,
  ComponentStatus,
  ComponentUpResult,
  NodeStatus,
  StackComponent,
} from './stack-component';
import { ResolvedStackOptions } from './stack-options';
import { StackPaths, kafkaClusterDir, kafkaVersionPaths } from './stack-paths';

/**
 * How long the last live node of a cluster gets after SIGTERM before SIGKILL, in milliseconds:
 * its controlled shutdown cannot be committed without a quorum majority, so waiting longer gains nothing.
 */
export const LAST_VOTER_STOP_GRACE_MS = 3_000;

function describeNodeStop(result: ComponentDownResult): string {
  const action = result.action === 'killed' ? 'killed after SIGTERM (last of the quorum)' : result.action;
  return result.pid ? `${action} (pid ${result.pid})` : action;
}

/** The state of a cluster from its nodes' states: theirs when they agree, else `degraded` if some are up, else `starting`. */
export function clusterState(states: readonly ComponentState[]): ComponentState {
  if (states.every((state) => state === states[0])) return states[0];
  return states.some((state) => state === 'running') ? 'degraded' : 'starting';
}

/**
 * The local Kafka: one node (the default, unchanged since the first stack) or a KRaft cluster of
 * three, each node broker and controller at once. The version is KAFKA_VERSION's (4.4.0 by default).
 *
 * What already runs is never silently reused when it is not what was asked for: `up` reads the
 * version from the running broker (its startup log line; ApiVersions for a broker not ours) and
 * fails with {@link KafkaVersionMismatchError} on a different version, or with
 * {@link KafkaTopologyMismatchError} on a different broker count or ports. `status` reports what
 * runs: another version as not ready, another broker count or ports as a note. The last start's topology is kept in `.stack/kafka/topology.json`,
 * so `down`, `status` and the broker helpers follow what runs, whatever is asked for now.
 */
export class KafkaCluster implements StackComponent {
  readonly name = 'kafka' as const;
  readonly label = 'Kafka';
  /** What the settings ask for. */
  readonly requested: KafkaTopology;
  /** KAFKA_BROKERS for what the settings ask for. */
  readonly brokers: string;
  private readonly contexts = new Map<string, Promise<KafkaLaunchContext>>();

  constructor(
    private readonly options: ResolvedStackOptions,
    private readonly paths: StackPaths,
  ) {
    this.requested = planKafkaTopology(options.kafkaVersion, options.kafkaBrokers, options.ports, [
      options.ports.schemaRegistry,
      options.ports.redis,
    ]);
    this.brokers = brokerAddresses(this.requested);
  }

  /**
   * The topology of our running nodes: the recorded one when one of its nodes is ours and alive;
   * for a broker started by code older than the record, a single node of the version it runs.
   */
  runningTopology(): KafkaTopology | undefined {
    const recorded = readRecordedTopology(this.paths.kafkaTopologyFile);
    if (recorded && this.nodesOf(recorded).some((node) => node.ownedPid() !== undefined)) return recorded;
    if (recorded) return undefined;
    const single = planKafkaTopology(this.options.kafkaVersion, 1, this.options.ports);
    const legacyVersion = this.nodesOf(single)[0].runningVersion();
    return legacyVersion ? { ...single, version: legacyVersion } : undefined;
  }

  /** True when a node we started is alive. */
  hasOwnedProcess(): boolean {
    return this.runningTopology() !== undefined;
  }

  async up(): Promise<ComponentUpResult> {
    const { requested } = this;
    const running = this.runningTopology();
    if (running) await this.refuseMismatch(running);
    else await this.refuseForeignBrokers();
    if (!running) recordTopology(this.paths.kafkaTopologyFile, requested);

    const nodes = this.nodesOf(requested);
    const settled = await Promise.allSettled(nodes.map((node) => node.up()));
    const failures = settled.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [{ component: nodes[index].label, error: outcome.reason as Error }] : [],
    );
    if (failures.length === 1) throw failures[0].error;
    if (failures.length > 1) throw new StackStartError(failures);
    const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<ComponentUpResult>).value);
    if (results.length === 1) return results[0];
    const actions = results.map((result) => result.action);
    return {
      ...this.aggregate(results, requested),
      action: actions.includes('started') ? 'started' : 'already-running',
    };
  }

  /**
   * Stops our nodes. A cluster stops one broker at a time, highest index first: each controlled
   * shutdown needs the controller quorum to commit it, which a majority of live controllers can.
   * The last live node has no majority left (its controller is alone), so its controlled shutdown
   * would wait minutes: it gets {@link LAST_VOTER_STOP_GRACE_MS} before SIGKILL (measured: 31 s
   * for all three at once with the 30 s stop timeout, against one clean stop after another).
   */
  async down(): Promise<ComponentDownResult> {
    const topology = this.runningTopology() ?? readRecordedTopology(this.paths.kafkaTopologyFile) ?? this.requested;
    const nodes = this.nodesOf(topology);
    if (nodes.length === 1) return nodes[0].down();
    const results: ComponentDownResult[] = new Array(nodes.length);
    const live = nodes.filter((node) => node.ownedPid() !== undefined);
    for (const node of [...nodes].reverse()) {
      const lastLive = node === live[0];
      results[node.spec.index] = await node.down(lastLive ? LAST_VOTER_STOP_GRACE_MS : undefined);
    }
    const stopped = results.filter((result) => result.action === 'stopped' || result.action === 'killed');
    return {
      name: this.name,
      label: this.label,
      action: stopped.length === 0 ? 'not-running' : 'stopped',
      detail: results.map((result, index) => `broker ${index}: ${describeNodeStop(result)}`).join(', '),
    };
  }

  async status(): Promise<ComponentStatus> {
    const topology = this.runningTopology() ?? this.requested;
    const nodes = this.nodesOf(topology);
    const statuses = await Promise.all(nodes.map((node) => node.status()));
    const status = statuses.length === 1 ? statuses[0] : this.aggregate(statuses, topology);
    const note = this.describeTopologyDifference(topology);
    const mismatch = await this.describeVersionMismatch(nodes[0]);
    const detail = [status.detail, note, mismatch].filter(Boolean).join('; ');
    return { ...status, ready: status.ready && mismatch === undefined, detail: detail || undefined };
  }

  /** Broker `index` of what runs (else of the last start, else of what is asked for); throws {@link UnknownBrokerError} for an index outside it. */
  node(index: number): KafkaBrokerNode {
    const topology = this.runningTopology() ?? readRecordedTopology(this.paths.kafkaTopologyFile) ?? this.requested;
    if (!Number.isInteger(index) || index < 0 || index >= topology.brokers) throw new UnknownBrokerError(index, topology.brokers);
    return this.nodesOf(topology)[index];
  }

  private nodesOf(topology: KafkaTopology): KafkaBrokerNode[] {
    return topology.nodes.map(
      (spec) => new KafkaBrokerNode(this.options, this.paths, topology, spec, () => this.launchContext(topology)),
    );
  }

  /** Java, classpath and cluster id, resolved once per start however many nodes need them. */
  private launchContext(topology: KafkaTopology): Promise<KafkaLaunchContext> {
    const key = `${topology.version}/${topology.brokers}`;
    let context = this.contexts.get(key);
    if (!context) {
      context = this.resolveLaunchContext(topology);
      this.contexts.set(key, context);
    }
    return context;
  }

  private async resolveLaunchContext(topology: KafkaTopology): Promise<KafkaLaunchContext> {
    const { options, paths } = this;
    const version = parseKafkaVersion(topology.version);
    const java = await findJavaRuntime(kafkaJavaRequirement(version), { env: options.env });
    const versionPaths = kafkaVersionPaths(paths, version.text);
    const classpath = await ensureKafkaClasspath(
      { classpathFile: versionPaths.classpathFile, stampFile: versionPaths.classpathStampFile },
      options.cacheDir,
      version,
      options.log,
    );
    const clusterId = topology.brokers > 1 ? this.clusterId(topology) : undefined;
    return { java, classpath, profile: kafkaLineProfile(version), clusterId };
  }

  /** One cluster id for every node of a cluster: the one recorded, else the one a formatted node has, else a new one. */
  private clusterId(topology: KafkaTopology): string {
    const dir = kafkaClusterDir(this.paths, topology.version, topology.brokers);
    const file = join(dir, 'cluster-id');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const formatted = this.nodesOf(topology)
      .map((node) => formattedClusterId(node.files.dataDir))
      .find((id) => id !== undefined);
    const id = formatted ?? generateClusterId();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${id}\n`);
    return id;
  }

  /** Throws when our running Kafka is not what is asked for (other broker count or ports, other version). */
  private async refuseMismatch(running: KafkaTopology): Promise<void> {
    const { requested } = this;
    if (!sameTopology({ ...running, version: requested.version }, requested)) {
      throw new KafkaTopologyMismatchError(
        describeTopology(running),
        describeTopology(requested),
        'Stop it with `npm run stack:down` first, or ask for what runs (STACK_KAFKA_BROKERS or --brokers, STACK_KAFKA_PORT).',
      );
    }
    for (const node of this.nodesOf(running)) {
      const version = node.runningVersion();
      if (version === undefined) continue;
      if (version !== requested.version) {
        throw new KafkaVersionMismatchError(node.endpoint, requested.version, `Kafka ${version}`, true, node.ownedPid());
      }
      return;
    }
  }

  /** Throws when a broker this stack did not start answers on a port it needs, unless a single node of the asked-for release is asked for. */
  private async refuseForeignBrokers(): Promise<void> {
    const { requested } = this;
    const nodes = this.nodesOf(requested);
    const evidence = await Promise.all(nodes.map((node) => node.versionEvidence()));
    const foreign = evidence.findIndex((item) => item !== undefined);
    if (foreign < 0) return;
    const found = evidence[foreign];
    if (requested.brokers > 1) {
      throw new KafkaTopologyMismatchError(
        `not: ${nodes[foreign].endpoint} is taken by a broker it did not start (${found?.label})`,
        describeTopology(requested),
        'A cluster needs free ports: stop that broker, or move the cluster with STACK_KAFKA_PORT and STACK_KAFKA_CONTROLLER_PORT.',
      );
    }
    if (found && !evidenceMatches(found, this.options.kafkaVersion)) {
      throw new KafkaVersionMismatchError(nodes[foreign].endpoint, requested.version, found.label, false);
    }
  }

  /**
   * For `status`, which reports what runs: a note when its broker count or ports differ from what
   * is asked for (`up` would refuse it; clients can still use it, so it stays ready).
   */
  private describeTopologyDifference(topology: KafkaTopology): string | undefined {
    const { requested } = this;
    if (sameTopology({ ...topology, version: requested.version }, requested)) return undefined;
    return `${topology.brokers} broker${topology.brokers === 1 ? '' : 's'} run here, ${requested.brokers} asked for (STACK_KAFKA_BROKERS, ports)`;
  }

  /** Why the running broker is not the version asked for, for `status` (which then says not ready); undefined when it is. */
  private async describeVersionMismatch(first: KafkaBrokerNode): Promise<string | undefined> {
    const { requested } = this;
    if (first.ownedPid() !== undefined) {
      const version = first.runningVersion();
      return version && version !== requested.version ? `runs Kafka ${version}, but KAFKA_VERSION asks for ${requested.version}` : undefined;
    }
    const evidence = await first.versionEvidence();
    return evidence && !evidenceMatches(evidence, this.options.kafkaVersion)
      ? `runs ${evidence.label}, but KAFKA_VERSION asks for ${requested.version}`
      : undefined;
  }

  /** One status for the cluster, with one line per broker. */
  private aggregate(statuses: readonly ComponentStatus[], topology: KafkaTopology): ComponentStatus {
    const nodes: NodeStatus[] = statuses.map((status, index) => ({
      index,
      nodeId: topology.nodes[index].nodeId,
      state: status.state,
      ready: status.ready,
      endpoint: status.endpoint,
      pid: status.pid,
      logFile: status.logFile,
      detail: status.detail,
    }));
    const { replicationFactor, minInsyncReplicas } = topology.replication;
    return {
      name: this.name,
      label: this.label,
      state: clusterState(statuses.map((status) => status.state)),
      ready: statuses.every((status) => status.ready),
      endpoint: brokerAddresses(topology),
      version: statuses.find((status) => status.version !== undefined)?.version,
      runtime: statuses.find((status) => status.runtime !== undefined)?.runtime,
      detail: `${topology.brokers} brokers, replication factor ${replicationFactor}, min.insync.replicas ${minInsyncReplicas}`,
      nodes,
    };
  }
}
