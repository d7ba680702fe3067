import type { Logger } from '@workpipe/logging';
import type { StackEndpoints, StackOptions } from '../stack';
import type { FaultKind } from './fault-kind';

/** Everything a chaos run needs; the test and `npm run chaos` differ only in these. */
export interface ChaosRunOptions {
  /** Where Kafka, the registry and Redis answer. */
  stack: StackEndpoints;
  /** The local stack the broker faults act on (its state folder, ports). Default: the default stack. */
  brokerStack?: StackOptions;
  /** Which broker (index in KAFKA_BROKERS) broker faults hit. Default 0. */
  brokerIndex?: number;
  /** TOPIC_REPLICATION_FACTOR of the run's topics (min.insync.replicas is one less). Default 1. */
  replicationFactor?: number;
  /** Items submitted. */
  items: number;
  /** Items per `POST /v1/batches` request (at most 1000). Default 100. */
  requestSize?: number;
  /** The requests are spread over this long, in milliseconds. */
  submitDurationMs: number;
  /** Processor instances. Default 2. */
  processors?: number;
  /** Seed of the fault plan (kinds, order, times, down times). */
  seed: number;
  /** Kinds that appear once each. */
  requiredFaults: readonly FaultKind[];
  /** Kinds the other faults are drawn from. Default: `requiredFaults`. */
  faultPool?: readonly FaultKind[];
  /** Faults in all (at least `requiredFaults.length`). Default `requiredFaults.length`. */
  faultCount?: number;
  /** Faults are due within this part of the submission time, as fractions of it. Default [0.1, 0.7]. */
  faultWindow?: readonly [number, number];
  /** Down time of a killed or stopped part, in milliseconds. Default [1000, 3000]. */
  downMs?: readonly [number, number];
  /** How long after the last request and fault every item may take to reach its outcome and the stats to agree, in milliseconds. Default 180000. */
  convergeTimeoutMs?: number;
  /** Names the run's prefixes: `<name>.<id>.` topics and groups, `<name>:<id>:` Redis keys. Default `chaos`. */
  runName?: string;
  /** Folder for the services' logs (kept after the run). */
  logDir: string;
  /** Keep the run's topics, groups, Redis keys and registry subjects afterwards, to inspect them (`CHAOS_KEEP_DATA=1`). Default false. */
  keepData?: boolean;
  /** Repository root (holds apps/ and tsconfig.json). */
  root: string;
  logger: Logger;
}

export const DEFAULT_REQUEST_SIZE = 100;
export const DEFAULT_PROCESSORS = 2;
export const DEFAULT_FAULT_WINDOW: readonly [number, number] = [0.1, 0.7];
export const DEFAULT_DOWN_MS: readonly [number, number] = [1_000, 3_000];
export const DEFAULT_CONVERGE_TIMEOUT_MS = 180_000;
/** A request sent while Kafka is away is answered when its publish times out: this, in milliseconds. */
export const CHAOS_PUBLISH_TIMEOUT_MS = 5_000;
