import { DockerComposeStack } from './docker-compose-stack';
import { LocalStack } from './local-stack';
import { withStackLock } from './stack-lock';
import { recordMode, resolveMode } from './stack-mode';
import { ResolvedStackOptions, StackOptions, resolveStackOptions } from './stack-options';
import { ResolvedMode, StackDownResult, StackStatusResult, StackUpResult } from './stack-report';

function stackFor(mode: ResolvedMode, options: ResolvedStackOptions): LocalStack | DockerComposeStack {
  return mode === 'docker' ? new DockerComposeStack(options) : new LocalStack(options);
}

/**
 * Makes sure Kafka, the schema registry and Redis are running and ready, starting only what is
 * missing, and returns where to connect. Used by `npm run stack:up` and by test global setups:
 *
 * ```ts
 * const stack = await ensureStack({ log: console.log });
 * process.env.KAFKA_BROKERS = stack.kafkaBrokers;
 * // ... later, only if this run started it:
 * if (stack.startedHere) await stopStack();
 * ```
 */
export async function ensureStack(options: StackOptions = {}): Promise<StackUpResult> {
  const resolved = resolveStackOptions(options);
  return withStackLock(resolved.stackDir, resolved.readyTimeoutMs, resolved.log, async () => {
    const mode = await resolveMode(resolved, 'up');
    resolved.log(`stack: ${mode} mode, state in ${resolved.stackDir}`);
    recordMode(resolved.stackDir, mode);
    return stackFor(mode, resolved).up();
  });
}

/** Stops the parts of the stack that we started (never a Redis or broker that was already there). */
export async function stopStack(options: StackOptions = {}): Promise<StackDownResult> {
  const resolved = resolveStackOptions(options);
  return withStackLock(resolved.stackDir, resolved.readyTimeoutMs, resolved.log, async () => {
    const mode = await resolveMode(resolved, 'down');
    return stackFor(mode, resolved).down();
  });
}

/** Reports each part's state and endpoint; `ready` is true only when every part is ready. */
export async function getStackStatus(options: StackOptions = {}): Promise<StackStatusResult> {
  const resolved = resolveStackOptions(options);
  const mode = await resolveMode(resolved, 'status');
  return stackFor(mode, resolved).status();
}
