import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Where the stack runs: `local` processes on this machine, `docker` compose services, or `auto` (docker when an engine answers). */
export type StackMode = 'auto' | 'local' | 'docker';
export const STACK_MODES: readonly StackMode[] = ['auto', 'local', 'docker'];

/** Kafka version the local broker runs (tools/stack/pom.xml pins the same). kafkajs 2.2.4 needs a 3.x broker. */
export const KAFKA_VERSION = '3.9.1';
/** Apicurio Registry version run locally as the schema registry (its Confluent-compatible API). */
export const APICURIO_REGISTRY_VERSION = '3.3.3';

/** The one host every stack part listens on: loopback only. */
export const STACK_HOST = '127.0.0.1';

/** TCP ports of the stack on 127.0.0.1. */
export interface StackPorts {
  /** Kafka PLAINTEXT listener for clients. Default 9092. */
  kafka: number;
  /** Kafka KRaft controller listener. Default 9093. */
  kafkaController: number;
  /** Schema registry HTTP port. Default 8081. */
  schemaRegistry: number;
  /** Redis port. Default 6379. */
  redis: number;
}

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
  /** Port overrides; default {@link DEFAULT_STACK_PORTS}. The docker-compose.yml file always uses the defaults. */
  ports?: Partial<StackPorts>;
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
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export function parseStackMode(value: string | undefined): StackMode | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const mode = value.trim().toLowerCase();
  if ((STACK_MODES as readonly string[]).includes(mode)) return mode as StackMode;
  throw new Error(`STACK_MODE must be one of ${STACK_MODES.join(', ')}; got "${value}".`);
}

function parsePositiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer; got "${value}".`);
  return parsed;
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
    ports: { ...DEFAULT_STACK_PORTS, ...options.ports },
    log: options.log ?? (() => undefined),
    env,
  };
}
