import { ComponentDownResult, ComponentStatus, ComponentUpResult } from './stack-component';

/** Where clients connect, in the names of the apps' environment variables. */
export interface StackEndpoints {
  /** KAFKA_BROKERS, e.g. `127.0.0.1:9092`. */
  kafkaBrokers: string;
  /** SCHEMA_REGISTRY_URL, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  schemaRegistryUrl: string;
  /** REDIS_URL, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
}

/** Product and version of each part, e.g. `Kafka 3.9.1`; `unknown` when a part not ours does not say. */
export interface StackVersions {
  kafka: string;
  schemaRegistry: string;
  redis: string;
}

/** The mode a stack actually ran in (`auto` resolved). */
export type ResolvedMode = 'local' | 'docker';

export interface StackUpResult extends StackEndpoints {
  mode: ResolvedMode;
  /** True when this call started at least one part (so whoever called it may want to stop the stack afterwards). */
  startedHere: boolean;
  versions: StackVersions;
  components: ComponentUpResult[];
  /** The state folder (data, logs, pid files). */
  stackDir: string;
}

export interface StackDownResult {
  mode: ResolvedMode;
  components: ComponentDownResult[];
}

export interface StackStatusResult extends StackEndpoints {
  mode: ResolvedMode;
  /** True when every part is ready. */
  ready: boolean;
  versions: StackVersions;
  components: ComponentStatus[];
  stackDir: string;
}

/** Collects the version of each part from component reports. */
export function versionsOf(components: readonly Pick<ComponentStatus, 'name' | 'version'>[]): StackVersions {
  const versionOf = (name: ComponentStatus['name']): string =>
    components.find((component) => component.name === name)?.version ?? 'unknown';
  return { kafka: versionOf('kafka'), schemaRegistry: versionOf('schema-registry'), redis: versionOf('redis') };
}
