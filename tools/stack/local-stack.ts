import { ApicurioRegistry } from './apicurio-registry';
import { StackStartError } from './errors';
import { KafkaCluster } from './kafka-cluster';
import { PidFile } from './pid-file';
import { RedisServer } from './redis-server';
import { ComponentStatus, ComponentUpResult, StackComponent } from './stack-component';
import { ResolvedStackOptions } from './stack-options';
import { StackPaths, stackPaths } from './stack-paths';
import { StackDownResult, StackEndpoints, StackStatusResult, StackUpResult, versionsOf } from './stack-report';

/** The stack as processes on this machine: Kafka and Apicurio Registry from Maven Central, Redis from the OS. */
export class LocalStack {
  readonly paths: StackPaths;
  readonly endpoints: StackEndpoints;
  readonly kafka: KafkaCluster;
  private readonly redis: RedisServer;
  private readonly registry: ApicurioRegistry;

  constructor(private readonly options: ResolvedStackOptions) {
    this.paths = stackPaths(options.stackDir);
    this.redis = new RedisServer(options, this.paths);
    this.kafka = new KafkaCluster(options, this.paths);
    this.registry = new ApicurioRegistry(options, this.paths);
    this.endpoints = {
      kafkaBrokers: this.kafka.brokers,
      schemaRegistryUrl: this.registry.ccompatUrl,
      redisUrl: this.redis.url,
    };
  }

  /** The parts this stack manages (STACK_ONLY / `--only`), in the order they are reported. */
  get components(): readonly StackComponent[] {
    return [this.kafka, this.registry, this.redis].filter((component) => this.options.parts.includes(component.name));
  }

  /** True when a process we started for any part is still alive (used to keep `auto` mode on local). */
  hasOwnedProcess(): boolean {
    return (
      this.kafka.hasOwnedProcess() ||
      [this.paths.apicurioPidFile, this.paths.redisPidFile].some((pidFile) => new PidFile(pidFile).ownedProcess() !== undefined)
    );
  }

  /**
   * Brings every part up at once (Kafka and the registry each take seconds to start; in parallel the
   * wait is the longest of them, not the sum). Parts already running are left as they are.
   */
  async up(): Promise<StackUpResult> {
    const parts = this.components;
    const settled = await Promise.allSettled(parts.map((component) => component.up()));
    const failures = settled.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [{ component: parts[index].label, error: outcome.reason as Error }] : [],
    );
    if (failures.length > 0) throw new StackStartError(failures);
    const components = settled.map((outcome) => (outcome as PromiseFulfilledResult<ComponentUpResult>).value);
    return {
      ...this.endpointsOf(components),
      mode: 'local',
      startedHere: components.some((component) => component.action === 'started'),
      versions: versionsOf(components),
      components,
      stackDir: this.paths.root,
    };
  }

  /** Stops what we started, registry first (it is the least shared), then Kafka, then Redis. */
  async down(): Promise<StackDownResult> {
    const components = [];
    for (const component of [this.registry, this.kafka, this.redis]) {
      if (this.options.parts.includes(component.name)) components.push(await component.down());
    }
    return { mode: 'local', components };
  }

  async status(): Promise<StackStatusResult> {
    const components = await Promise.all(this.components.map((component) => component.status()));
    return {
      ...this.endpointsOf(components),
      mode: 'local',
      ready: components.every((component) => component.ready),
      versions: versionsOf(components),
      components,
      stackDir: this.paths.root,
    };
  }

  /** The endpoints, with KAFKA_BROKERS as the brokers that run (a cluster started earlier may differ from what is asked for now). */
  private endpointsOf(components: readonly ComponentStatus[]): StackEndpoints {
    const kafka = components.find((component) => component.name === 'kafka');
    return { ...this.endpoints, kafkaBrokers: kafka?.endpoint ?? this.endpoints.kafkaBrokers };
  }
}
