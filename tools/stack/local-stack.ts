import { ApicurioRegistry } from './apicurio-registry';
import { StackStartError } from './errors';
import { KafkaBroker } from './kafka-broker';
import { PidFile } from './pid-file';
import { RedisServer } from './redis-server';
import { ComponentUpResult, StackComponent } from './stack-component';
import { ResolvedStackOptions, STACK_HOST } from './stack-options';
import { StackPaths, stackPaths } from './stack-paths';
import { StackDownResult, StackEndpoints, StackStatusResult, StackUpResult, versionsOf } from './stack-report';

/** The stack as processes on this machine: Kafka and Apicurio Registry from Maven Central, Redis from the OS. */
export class LocalStack {
  readonly paths: StackPaths;
  readonly endpoints: StackEndpoints;
  private readonly redis: RedisServer;
  private readonly kafka: KafkaBroker;
  private readonly registry: ApicurioRegistry;

  constructor(options: ResolvedStackOptions) {
    this.paths = stackPaths(options.stackDir);
    this.redis = new RedisServer(options, this.paths);
    this.kafka = new KafkaBroker(options, this.paths);
    this.registry = new ApicurioRegistry(options, this.paths);
    this.endpoints = {
      kafkaBrokers: `${STACK_HOST}:${options.ports.kafka}`,
      schemaRegistryUrl: this.registry.ccompatUrl,
      redisUrl: this.redis.url,
    };
  }

  /** In the order they are reported. */
  get components(): readonly StackComponent[] {
    return [this.kafka, this.registry, this.redis];
  }

  /** True when a process we started for any part is still alive (used to keep `auto` mode on local). */
  hasOwnedProcess(): boolean {
    return [this.paths.kafkaPidFile, this.paths.apicurioPidFile, this.paths.redisPidFile].some(
      (pidFile) => new PidFile(pidFile).ownedProcess() !== undefined,
    );
  }

  /**
   * Brings every part up at once (Kafka and the registry each take seconds to start; in parallel the
   * wait is the longest of them, not the sum). Parts already running are left as they are.
   */
  async up(): Promise<StackUpResult> {
    const settled = await Promise.allSettled(this.components.map((component) => component.up()));
    const failures = settled.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [{ component: this.components[index].label, error: outcome.reason as Error }] : [],
    );
    if (failures.length > 0) throw new StackStartError(failures);
    const components = settled.map((outcome) => (outcome as PromiseFulfilledResult<ComponentUpResult>).value);
    return {
      ...this.endpoints,
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
    for (const component of [this.registry, this.kafka, this.redis]) components.push(await component.down());
    return { mode: 'local', components };
  }

  async status(): Promise<StackStatusResult> {
    const components = await Promise.all(this.components.map((component) => component.status()));
    return {
      ...this.endpoints,
      mode: 'local',
      ready: components.every((component) => component.ready),
      versions: versionsOf(components),
      components,
      stackDir: this.paths.root,
    };
  }
}
