import { BrokerNotRunningError, LocalStackOnlyError } from './errors';
import { KafkaCluster } from './kafka-cluster';
import { ComponentDownResult, ComponentUpResult } from './stack-component';
import { readRecordedMode } from './stack-mode';
import { StackOptions, resolveStackOptions } from './stack-options';
import { stackPaths } from './stack-paths';

/**
 * Fault helpers for tests: stop, kill or (re)start one broker of the local Kafka, by its index in
 * KAFKA_BROKERS (0 to brokers - 1; its node.id is index + 1). They act on what the last
 * `stack:up` started (recorded in the state folder), so the options only need to name the state
 * folder when it is not the default. They take no stack lock: do not call them while a
 * `stack:up` or `stack:down` of the same state folder runs.
 *
 * ```ts
 * const stack = await ensureStack({ kafkaBrokers: 3 });
 * await killBroker(1);       // SIGKILL, as in a crash: the cluster fences it after ~6 s
 * // ... load keeps running on brokers 0 and 2 (replication factor 3, min.insync.replicas 2)
 * await startBroker(1);      // back, waits until it answers metadata again
 * ```
 */
function localKafka(options: StackOptions, operation: string): KafkaCluster {
  const resolved = resolveStackOptions(options);
  if (readRecordedMode(resolved.stackDir) === 'docker') throw new LocalStackOnlyError(operation, resolved.stackDir);
  return new KafkaCluster(resolved, stackPaths(resolved.stackDir));
}

/** Stops broker `index` cleanly (SIGTERM: a controlled shutdown that moves its leaderships first; SIGKILL after the stop timeout). */
export function stopBroker(index: number, options: StackOptions = {}): Promise<ComponentDownResult> {
  return localKafka(options, `stopBroker(${index})`).node(index).down();
}

/** Kills broker `index` with SIGKILL (no shutdown: what a crash or `kill -9` does) and waits until the process is gone. */
export function killBroker(index: number, options: StackOptions = {}): Promise<ComponentDownResult> {
  return localKafka(options, `killBroker(${index})`).node(index).kill();
}

/**
 * Starts broker `index` again (with its data, version and ports as before) and waits until it
 * answers metadata; a no-op when it runs. Its replicas catch up in the background afterwards.
 */
export function startBroker(index: number, options: StackOptions = {}): Promise<ComponentUpResult> {
  return localKafka(options, `startBroker(${index})`).node(index).up();
}

/**
 * Freezes broker `index` with SIGSTOP: its process stays, its sockets stay open and nothing is
 * answered (what a long GC pause or a frozen VM does to clients). {@link thawBroker} resumes it.
 * Throws {@link BrokerNotRunningError} when the broker is not running.
 */
export function freezeBroker(index: number, options: StackOptions = {}): void {
  process.kill(runningBrokerPid(index, options, `freezeBroker(${index})`), 'SIGSTOP');
}

/** Resumes broker `index` after {@link freezeBroker} (SIGCONT). */
export function thawBroker(index: number, options: StackOptions = {}): void {
  process.kill(runningBrokerPid(index, options, `thawBroker(${index})`), 'SIGCONT');
}

function runningBrokerPid(index: number, options: StackOptions, operation: string): number {
  const pid = localKafka(options, operation).node(index).ownedPid();
  if (pid === undefined) throw new BrokerNotRunningError(operation, index);
  return pid;
}
