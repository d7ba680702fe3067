import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidStackSettingError } from './errors';
import { parseBrokerCount } from './kafka-topology';
import { DEFAULT_KAFKA_VERSION, KafkaVersion, parseKafkaVersion } from './kafka-version';
import { ComponentName } from './stack-component';

/** Where the stack runs: `local` processes on this machine, `docker` compose services, or `auto` (docker when an engine answers). */
export type StackMode = 'auto' | 'local' | 'docker';
export const STACK_MODES: readonly StackMode[] = ['auto', 'local', 'docker'];

export { STACK_HOST } from './stack-host';

/** Apicurio Registry version run locally as the schema registry (its Confluent-compatible API). */
export const APICURIO_REGISTRY_VERSION = '3.3.3';

/** Every part of the stack, in the order they are reported. */
export const STACK_PARTS: readonly ComponentName[] = ['kafka', 'schema-registry', 'redis'];

/** TCP ports of the stack on 127.0.0.1. */
export interface StackPorts {
  /** Kafka PLAINTEXT listener for clients (of broker 0; broker i uses this + 2i). Default 9092, env STACK_KAFKA_PORT. */
  kafka: number;
  /** Kafka KRaft controller listener (of broker 0; broker i uses this + 2i). Default 9093, env STACK_KAFKA_CONTROLLER_PORT. */
  kafkaController: number;
  /** Schema registry HTTP port. Default 8081, env STACK_SCHEMA_REGISTRY_PORT. */
  schemaRegistry: number;
  /** Redis port. Default 6379, env STACK_REDIS_PORT. */
  redis: number;
}

/** The environment variable that overrides each port. */
export const PORT_VARIABLES: Readonly<Record<keyof StackPorts, string>> = {
  kafka: 'STACK_KAFKA_PORT',
  kafkaController: 'STACK_KAFKA_CONTROLLER_PORT',
  schemaRegistry: 'STACK_SCHEMA_REGISTRY_PORT',
  redis: 'STACK_REDIS_PORT',
};

export const DEFAULT_STACK_PORTS: StackPorts = { kafka: 9092, kafkaController: 9093, schemaRegistry: 8081, redis: 6379 };
/** How long `up` waits for each part to become ready, in milliseconds. */
export const DEFAULT_READY_TIMEOUT_MS = 120_000;
/** How long `down` waits after SIGTERM before SIGKILL, in milliseconds. */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

export interface StackOptions {
  /** Where the stack runs. Default: `STACK_MODE` from the environment, else `auto`. */
  mode?: StackMode;
  /** Repository root (holds docker-compose.yml and tools/stack). Default: two folders above this file. */
  repoRoot?: string;
  /** Folder for data, logs and pid files. Default: `STACK_DIR`, else `<repoRoot>/.stack`. */
  stackDir?: string;
  /**
   * Folder for downloads kept across stacks (unpacked Apicurio Registry, Kafka classpath).
   * Default: `WORKPIPE_CACHE_DIR`, else `$XDG_CACHE_HOME/workpipe`, else `~/.cache/workpipe`.
   */
  cacheDir?: string;
  /** How long to wait for each part to become ready, in milliseconds. Default: `STACK_READY_TIMEOUT_MS`, else 120000. */
  readyTimeoutMs?: number;
  /** How long `down` waits after SIGTERM before SIGKILL, in milliseconds. Default 30000. */
  stopTimeoutMs?: number;
  /**
   * Port overrides; default: the STACK_*_PORT variables of {@link PORT_VARIABLES}, else
   * {@link DEFAULT_STACK_PORTS}. The docker-compose.yml file always uses the defaults.
   */
  ports?: Partial<StackPorts>;
  /**
   * Kafka release the local broker(s) run, e.g. `4.4.0` or `3.9.1` (3.3+ or 4.x). Default:
   * `KAFKA_VERSION`, else {@link DEFAULT_KAFKA_VERSION}. In docker mode it picks the apache/kafka image tag.
   */
  kafkaVersion?: string;
  /**
   * Brokers of the local Kafka: 1 (default) or 3 (a KRaft cluster with replication factor 3 and
   * min.insync.replicas 2). Default: `STACK_KAFKA_BROKERS`, else 1. Local mode only.
   */
  kafkaBrokers?: number;
  /** The parts to manage (start, stop, report); the others are left alone. Default: `STACK_ONLY` (comma-separated), else all. */
  only?: readonly ComponentName[];
  /** Receives progress lines (e.g. "kafka: resolving jars with Maven"). Default: discard. */
  log?: (line: string) => void;
  /** Environment to read the settings above from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedStackOptions {
  requestedMode: StackMode;
  /** True when the mode came from the caller or STACK_MODE, false when it is the `auto` default. */
  modeExplicit: boolean;
  repoRoot: string;
  stackDir: string;
  cacheDir: string;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  ports: StackPorts;
  kafkaVersion: KafkaVersion;
  kafkaBrokers: number;
  /** The parts managed, in report order. */
  parts: readonly ComponentName[];
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export function parseStackMode(value: string | undefined): StackMode | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const mode = value.trim().toLowerCase();
  if ((STACK_MODES as readonly string[]).includes(mode)) return mode as StackMode;
  throw new InvalidStackSettingError('STACK_MODE', value, `one of ${STACK_MODES.join(', ')}`);
}

/** Reads a list of part names (`kafka,redis`); undefined for unset. */
export function parseStackParts(value: string | undefined, setting = 'STACK_ONLY'): ComponentName[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const names = value.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name.length > 0);
  const unknown = names.find((name) => !(STACK_PARTS as readonly string[]).includes(name));
  if (unknown !== undefined || names.length === 0) {
    throw new InvalidStackSettingError(setting, value, `a comma-separated list of ${STACK_PARTS.join(', ')}`);
  }
  return STACK_PARTS.filter((part) => names.includes(part));
}

function parsePositiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidStackSettingError(name, value, 'a positive integer');
  return parsed;
}

function parsePort(name: string, value: string | undefined): number | undefined {
  const port = parsePositiveInt(name, value);
  if (port !== undefined && port > 65_535) throw new InvalidStackSettingError(name, String(value), 'a TCP port, 1 to 65535');
  return port;
}

/** Ports from the STACK_*_PORT variables, only those that are set. */
function portsFromEnv(env: NodeJS.ProcessEnv): Partial<StackPorts> {
  const ports: Partial<StackPorts> = {};
  for (const key of Object.keys(PORT_VARIABLES) as (keyof StackPorts)[]) {
    const port = parsePort(PORT_VARIABLES[key], env[PORT_VARIABLES[key]]);
    if (port !== undefined) ports[key] = port;
  }
  return ports;
}

export function resolveStackOptions(options: StackOptions = {}): ResolvedStackOptions {
  const env = options.env ?? process.env;
  const repoRoot = resolve(options.repoRoot ?? join(__dirname, '..', '..'));
  const envMode = parseStackMode(env.STACK_MODE);
  const stackDirSetting = options.stackDir ?? env.STACK_DIR;
  const stackDir = stackDirSetting
    ? isAbsolute(stackDirSetting)
      ? stackDirSetting
      : resolve(process.cwd(), stackDirSetting)
    : join(repoRoot, '.stack');
  const cacheDir = resolve(
    options.cacheDir ??
      env.WORKPIPE_CACHE_DIR ??
      (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'workpipe') : join(homedir(), '.cache', 'workpipe')),
  );
  return {
    requestedMode: options.mode ?? envMode ?? 'auto',
    modeExplicit: options.mode !== undefined || envMode !== undefined,
    repoRoot,
    stackDir,
    cacheDir,
    readyTimeoutMs:
      options.readyTimeoutMs ?? parsePositiveInt('STACK_READY_TIMEOUT_MS', env.STACK_READY_TIMEOUT_MS) ?? DEFAULT_READY_TIMEOUT_MS,
    stopTimeoutMs: options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
    ports: { ...DEFAULT_STACK_PORTS, ...portsFromEnv(env), ...options.ports },
    kafkaVersion: parseKafkaVersion(
      options.kafkaVersion ?? (env.KAFKA_VERSION?.trim() ? env.KAFKA_VERSION : DEFAULT_KAFKA_VERSION),
      options.kafkaVersion !== undefined ? 'kafkaVersion' : 'KAFKA_VERSION',
    ),
    kafkaBrokers:
      options.kafkaBrokers !== undefined
        ? parseBrokerCount(options.kafkaBrokers, 'kafkaBrokers')
        : env.STACK_KAFKA_BROKERS?.trim()
          ? parseBrokerCount(env.STACK_KAFKA_BROKERS)
          : 1,
    parts: options.only ? STACK_PARTS.filter((part) => options.only?.includes(part)) : (parseStackParts(env.STACK_ONLY) ?? STACK_PARTS),
    log: options.log ?? (() => undefined),
    env,
  };
}
