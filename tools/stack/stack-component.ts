/** The parts of the stack. */
export type ComponentName = 'kafka' | 'schema-registry' | 'redis';

/**
 * - `running`: started by us and ready;
 * - `starting`: started by us, not ready yet;
 * - `external`: ready, but not started by us (we never stop it);
 * - `unhealthy`: the port is taken but the service does not answer;
 * - `stopped`: nothing there;
 * - `degraded`: a cluster of ours with some brokers up and some not (see {@link ComponentStatus.nodes}).
 */
export type ComponentState = 'running' | 'starting' | 'external' | 'unhealthy' | 'stopped' | 'degraded';

export interface ComponentStatus {
  name: ComponentName;
  /** Human name, e.g. `Kafka`. */
  label: string;
  state: ComponentState;
  /** True when clients can use it now. */
  ready: boolean;
  /** What clients connect to, e.g. `127.0.0.1:9092`. */
  endpoint: string;
  /** Product and version, e.g. `Kafka 3.9.1`, when known. */
  version?: string;
  /** Pid of our process, when we started it. */
  pid?: number;
  /** Runtime of our process, e.g. `Java 17.0.15 (/usr/bin/java)`. */
  runtime?: string;
  /** Where our process writes its output. */
  logFile?: string;
  /** Extra words for humans, e.g. why it is unhealthy. */
  detail?: string;
  /** Each broker of a Kafka cluster (set only when the stack runs more than one). */
  nodes?: NodeStatus[];
}

/** One broker of a local Kafka cluster. */
export interface NodeStatus {
  /** Position in KAFKA_BROKERS, from 0 (what stopBroker/startBroker/killBroker take). */
  index: number;
  /** Its node.id. */
  nodeId: number;
  state: ComponentState;
  ready: boolean;
  /** e.g. `127.0.0.1:9094`. */
  endpoint: string;
  pid?: number;
  logFile?: string;
  detail?: string;
}

/** What `up` did for a part. */
export type UpAction = 'started' | 'already-running' | 'external';

export interface ComponentUpResult extends ComponentStatus {
  action: UpAction;
}

/** What `down` did for a part. */
export type DownAction = 'stopped' | 'killed' | 'killed-as-asked' | 'not-running' | 'left-external' | 'removed-stale-pid';

export interface ComponentDownResult {
  name: ComponentName;
  label: string;
  action: DownAction;
  pid?: number;
  detail?: string;
}

/** One part of the local stack: it can report, start (idempotently) and stop what it started. */
export interface StackComponent {
  readonly name: ComponentName;
  readonly label: string;
  status(): Promise<ComponentStatus>;
  /** Starts the part unless it already runs (ours or external), then waits until it is ready. */
  up(): Promise<ComponentUpResult>;
  /** Stops the part only if we started it. */
  down(): Promise<ComponentDownResult>;
}
