import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_JAVA_REQUIREMENT, JavaRuntime, findJavaRuntime } from './java-runtime';
import { ensureKafkaClasspath, kafkaVersionFromClasspath } from './kafka-classpath';
import { DEFAULT_NUM_PARTITIONS, generateClusterId, renderServerProperties } from './kafka-server-properties';
import { probeKafkaMetadata } from './service-probes';
import { ComponentDownResult, ComponentStatus, ComponentUpResult, StackComponent } from './stack-component';
import { ResolvedStackOptions, STACK_HOST } from './stack-options';
import { StackPaths } from './stack-paths';
import { PreparedLaunch, SupervisedProcess } from './supervised-process';

/** Maximum heap of the local broker. */
export const KAFKA_HEAP = '768m';

/** Folder of this file: pom.xml and the log4j configurations live beside it. */
const STACK_TOOLS_DIR = __dirname;

function describeJava(java: JavaRuntime): string {
  return `Java ${java.version.version} (${java.javaBin})`;
}

/** The local Kafka 3.9.1 broker: jars from Maven Central via tools/stack/pom.xml, run by the machine's Java. */
export class KafkaBroker implements StackComponent {
  readonly name = 'kafka' as const;
  readonly label = 'Kafka';
  private readonly supervisor: SupervisedProcess;
  private readonly brokers: string;
  /** Marks our broker's command line, so a reused pid is never mistaken for it. */
  private readonly marker: string;

  constructor(
    private readonly options: ResolvedStackOptions,
    private readonly paths: StackPaths,
  ) {
    this.brokers = `${STACK_HOST}:${options.ports.kafka}`;
    this.marker = `-Dworkpipe.stack.kafka=${paths.root}`;
    this.supervisor = new SupervisedProcess({
      name: this.name,
      label: this.label,
      port: options.ports.kafka,
      endpoint: this.brokers,
      probeDescription: `${this.brokers} (broker metadata)`,
      pidFile: paths.kafkaPidFile,
      logFile: paths.kafkaLog,
      marker: this.marker,
      probe: () => probeKafkaMetadata(this.brokers),
      version: async () => this.version(),
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

  down(): Promise<ComponentDownResult> {
    return this.supervisor.down();
  }

  /** `Kafka 3.9.1` for our broker (read from the jar on its classpath); undefined for a broker not ours. */
  private version(): string | undefined {
    if (!this.supervisor.ownedProcess()) return undefined;
    try {
      const version = kafkaVersionFromClasspath(readFileSync(this.paths.kafkaClasspathFile, 'utf8'));
      return version ? `Kafka ${version}` : undefined;
    } catch {
      return undefined;
    }
  }

  private async prepare(): Promise<PreparedLaunch> {
    const { paths, options } = this;
    const java = await findJavaRuntime(KAFKA_JAVA_REQUIREMENT, { env: options.env });
    const classpath = await ensureKafkaClasspath(
      { classpathFile: paths.kafkaClasspathFile, stampFile: paths.kafkaClasspathStampFile },
      options.cacheDir,
      options.log,
    );
    mkdirSync(paths.kafkaDataDir, { recursive: true });
    writeFileSync(
      paths.kafkaServerProperties,
      renderServerProperties({
        host: STACK_HOST,
        port: options.ports.kafka,
        controllerPort: options.ports.kafkaController,
        nodeId: 1,
        dataDir: paths.kafkaDataDir,
        numPartitions: DEFAULT_NUM_PARTITIONS,
      }),
    );
    if (!existsSync(join(paths.kafkaDataDir, 'meta.properties'))) await this.formatStorage(java, classpath);
    return {
      command: java.javaBin,
      args: [
        this.marker,
        `-Xms256m`,
        `-Xmx${KAFKA_HEAP}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${join(STACK_TOOLS_DIR, 'log4j.properties')}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        paths.kafkaServerProperties,
      ],
      cwd: paths.kafkaDir,
      logFile: paths.kafkaLog,
      runtime: describeJava(java),
    };
  }

  /** `kafka-storage format` once, with a new cluster id; its output goes to the broker's log. */
  private formatStorage(java: JavaRuntime, classpath: string): Promise<void> {
    const { paths, options } = this;
    const clusterId = generateClusterId();
    options.log(`kafka: formatting storage in ${paths.kafkaDataDir} (cluster id ${clusterId})`);
    const args = [
      `-Dlog4j.configuration=file:${join(STACK_TOOLS_DIR, 'tools-log4j.properties')}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      clusterId,
      '--config',
      paths.kafkaServerProperties,
      '--ignore-formatted',
    ];
    return new Promise((resolvePromise, reject) => {
      execFile(java.javaBin, args, { cwd: paths.kafkaDir, timeout: 120_000 }, (error, stdout, stderr) => {
        mkdirSync(paths.logsDir, { recursive: true });
        appendFileSync(paths.kafkaLog, `[workpipe stack] kafka-storage format --cluster-id ${clusterId}\n${stdout}${stderr}`);
        if (error) reject(new Error(`Formatting the Kafka storage failed (see ${paths.kafkaLog}): ${stderr.trim() || error.message}`));
        else resolvePromise();
      });
    });
  }
}
