import { mkdirSync, writeFileSync } from 'node:fs';
import { JavaRuntime } from './java-runtime';
import { requestApiVersions } from './kafka-api-versions';
import { BrokerVersionEvidence, brokerVersionEvidence, kafkaVersionFromLog } from './kafka-broker-version';
import { kafkaVersionFromClasspath } from './kafka-classpath';
import { KafkaLineProfile } from './kafka-line';
import { DEFAULT_NUM_PARTITIONS, generateClusterId, renderServerProperties } from './kafka-server-properties';
import { formatStorage, isFormatted } from './kafka-storage';
import { KafkaNodeSpec, KafkaTopology } from './kafka-topology';
import { readProcess } from './process-table';
import { readFileFrom } from './readiness';
import { probeKafkaMetadata } from './service-probes';
import { ComponentDownResult, ComponentStatus, ComponentUpResult } from './stack-component';
import { STACK_HOST } from './stack-host';
import { ResolvedStackOptions } from './stack-options';
import { KafkaNodePaths, StackPaths, kafkaNodePaths } from './stack-paths';
import { PreparedLaunch, SupervisedProcess } from './supervised-process';

/** Maximum heap of a single local broker. */
export const KAFKA_HEAP = '768m';
/** Maximum heap of each broker of a local cluster (three JVMs on a 2-core dev machine). */
export const KAFKA_CLUSTER_NODE_HEAP = '512m';
/** How much of a broker's log, from its start, is searched for its `Kafka version:` line (it comes within the first few hundred lines). */
const VERSION_LINE_WINDOW_BYTES = 1024 * 1024;

/** What every node of one start shares, resolved once however many nodes start. */
export interface KafkaLaunchContext {
  java: JavaRuntime;
  classpath: string;
  profile: KafkaLineProfile;
  /** The cluster id nodes are formatted with; undefined for a single node (a new id at each format). */
  clusterId?: string;
}

/**
 * One local Kafka node (broker and KRaft controller in one JVM), jars from Maven Central via
 * tools/stack/pom.xml. Node 0 keeps the pid file, log and command-line marker the single broker
 * always had, so `stack:down` and the version check recognise a broker started by earlier code.
 */
export class KafkaBrokerNode {
  readonly endpoint: string;
  readonly label: string;
  readonly files: KafkaNodePaths;
  private readonly supervisor: SupervisedProcess;
  /** Marks this node's command line, so a reused pid is never mistaken for it. */
  private readonly marker: string;

  constructor(
    private readonly options: ResolvedStackOptions,
    paths: StackPaths,
    private readonly topology: KafkaTopology,
    readonly spec: KafkaNodeSpec,
    private readonly launchContext: () => Promise<KafkaLaunchContext>,
  ) {
    this.files = kafkaNodePaths(paths, topology.version, topology.brokers, spec.index);
    this.endpoint = `${STACK_HOST}:${spec.port}`;
    this.label = topology.brokers === 1 ? 'Kafka' : `Kafka broker ${spec.index}`;
    this.marker =
      spec.index === 0 ? `-Dworkpipe.stack.kafka=${paths.root}` : `-Dworkpipe.stack.kafka.broker-${spec.index}=${paths.root}`;
    this.supervisor = new SupervisedProcess({
      name: 'kafka',
      label: this.label,
      port: spec.port,
      endpoint: this.endpoint,
      probeDescription: `${this.endpoint} (broker metadata)`,
      pidFile: this.files.pidFile,
      logFile: this.files.logFile,
      marker: this.marker,
      probe: () => probeKafkaMetadata(this.endpoint),
      version: () => this.versionLabel(),
      readyTimeoutMs: options.readyTimeoutMs,
      stopTimeoutMs: options.stopTimeoutMs,
      log: options.log,
    });
  }

  status(): Promise<ComponentStatus> {
    return this.supervisor.status();
  }

  up(): Promise<ComponentUpResult> {
    return this.supervisor.up(() => this.prepare());
  }

  /**
   * SIGTERM (a controlled shutdown: leadership moves to the other brokers first), SIGKILL after
   * `stopTimeoutMs` milliseconds (default: the stack's stop timeout).
   */
  down(stopTimeoutMs?: number): Promise<ComponentDownResult> {
    return this.supervisor.down(stopTimeoutMs);
  }

  /** SIGKILL: the broker dies as in a crash (no controlled shutdown). */
  kill(): Promise<ComponentDownResult> {
    return this.supervisor.kill();
  }

  /** The pid of this node's process when it is ours and alive. */
  ownedPid(): number | undefined {
    return this.supervisor.ownedProcess()?.pid;
  }

  /**
   * The version our running broker reports: the `Kafka version: X` line it printed when it
   * started (read from its log, after the offset its start was recorded at); before it printed it,
   * or for a broker started by earlier code, the kafka_2.13 jar on its own command line.
   * Undefined when no process of ours runs.
   */
  runningVersion(): string | undefined {
    const owned = this.supervisor.ownedProcess();
    if (!owned) return undefined;
    if (owned.logOffset !== undefined) {
      const fromLog = kafkaVersionFromLog(readFileFrom(this.files.logFile, owned.logOffset, VERSION_LINE_WINDOW_BYTES) ?? '');
      if (fromLog) return fromLog;
    }
    const cmdline = readProcess(owned.pid)?.cmdline ?? [];
    const classpath = cmdline[cmdline.indexOf('-cp') + 1];
    return cmdline.includes('-cp') && classpath ? kafkaVersionFromClasspath(classpath) : undefined;
  }

  /** What the broker answering on this node's port says in ApiVersions (any broker, ours or not); undefined when none answers. */
  async versionEvidence(): Promise<BrokerVersionEvidence | undefined> {
    try {
      return brokerVersionEvidence(await requestApiVersions(STACK_HOST, this.spec.port));
    } catch {
      return undefined;
    }
  }

  /** `Kafka 4.4.0` for our broker, the ApiVersions evidence for another one. */
  private async versionLabel(): Promise<string | undefined> {
    const running = this.runningVersion();
    if (running) return `Kafka ${running}`;
    return (await this.versionEvidence())?.label;
  }

  private async prepare(): Promise<PreparedLaunch> {
    const { files, options, topology, spec } = this;
    const context = await this.launchContext();
    mkdirSync(files.dataDir, { recursive: true });
    writeFileSync(
      files.serverProperties,
      renderServerProperties({
        host: STACK_HOST,
        node: spec,
        voters: topology.nodes,
        dataDir: files.dataDir,
        numPartitions: DEFAULT_NUM_PARTITIONS,
        replication: topology.replication,
        line: context.profile.line,
      }),
    );
    if (!isFormatted(files.dataDir)) {
      const clusterId = context.clusterId ?? generateClusterId();
      options.log(`kafka: formatting storage in ${files.dataDir} (Kafka ${topology.version}, cluster id ${clusterId})`);
      await formatStorage({
        javaBin: context.java.javaBin,
        classpath: context.classpath,
        toolsLogArg: context.profile.toolsLogArg,
        serverProperties: files.serverProperties,
        clusterId,
        cwd: files.dir,
        logFile: files.logFile,
      });
    }
    return {
      command: context.java.javaBin,
      args: [
        this.marker,
        `-Xms256m`,
        `-Xmx${topology.brokers === 1 ? KAFKA_HEAP : KAFKA_CLUSTER_NODE_HEAP}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        context.profile.brokerLogArg,
        '-cp',
        context.classpath,
        'kafka.Kafka',
        files.serverProperties,
      ],
      cwd: files.dir,
      logFile: files.logFile,
      runtime: `Java ${context.java.version.version} (${context.java.javaBin})`,
    };
  }
}
