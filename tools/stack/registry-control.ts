import { ApicurioRegistry } from './apicurio-registry';
import { LocalStackOnlyError, RegistryNotRunningError } from './errors';
import { readRecordedMode } from './stack-mode';
import { StackOptions, resolveStackOptions } from './stack-options';
import { stackPaths } from './stack-paths';

/**
 * Fault helpers for tests: freeze and thaw the local stack's schema registry (the Apicurio java
 * process the last `stack:up` started, recorded in the state folder), as `freezeBroker` does a
 * broker. The registry is shared by every test and service of the machine: keep it frozen for
 * seconds, and thaw it in a `finally` (or `afterAll`) whatever happens. They take no stack lock.
 *
 * ```ts
 * freezeRegistry();          // SIGSTOP: connections are accepted by the kernel, nothing is answered
 * try {
 *   // ... a consumer meets a schema id it has not cached
 * } finally {
 *   thawRegistry();          // SIGCONT: it answers what was asked meanwhile
 * }
 * ```
 */
function localRegistry(options: StackOptions, operation: string): ApicurioRegistry {
  const resolved = resolveStackOptions(options);
  if (readRecordedMode(resolved.stackDir) === 'docker') throw new LocalStackOnlyError(operation, resolved.stackDir);
  return new ApicurioRegistry(resolved, stackPaths(resolved.stackDir));
}

function runningRegistryPid(options: StackOptions, operation: string): number {
  const pid = localRegistry(options, operation).ownedPid();
  if (pid === undefined) throw new RegistryNotRunningError(operation);
  return pid;
}

/**
 * Freezes the schema registry with SIGSTOP: its process stays, its port stays open and nothing is
 * answered (a registry in a long GC pause, or a network that drops its answers). {@link thawRegistry}
 * resumes it. Throws {@link RegistryNotRunningError} when the stack's registry is not running.
 */
export function freezeRegistry(options: StackOptions = {}): void {
  process.kill(runningRegistryPid(options, 'freezeRegistry()'), 'SIGSTOP');
}

/** Resumes the schema registry after {@link freezeRegistry} (SIGCONT; harmless when it is not frozen). */
export function thawRegistry(options: StackOptions = {}): void {
  process.kill(runningRegistryPid(options, 'thawRegistry()'), 'SIGCONT');
}
