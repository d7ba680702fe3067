import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDockerEngineReachable } from './docker-compose-stack';
import { DockerComposeFailedError } from './errors';
import { LocalStack } from './local-stack';
import { ResolvedStackOptions } from './stack-options';
import { stackPaths } from './stack-paths';
import { ResolvedMode } from './stack-report';

/** The mode the last `up` recorded in the state folder, if any. */
export function readRecordedMode(stackDir: string): ResolvedMode | undefined {
  const file = stackPaths(stackDir).modeFile;
  if (!existsSync(file)) return undefined;
  const mode = readFileSync(file, 'utf8').trim();
  return mode === 'local' || mode === 'docker' ? mode : undefined;
}

export function recordMode(stackDir: string, mode: ResolvedMode): void {
  const file = stackPaths(stackDir).modeFile;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${mode}\n`);
}

/**
 * Turns `auto` into `local` or `docker`:
 * - for `up`: local when a local stack of ours is already running (so a newly started Docker engine
 *   does not start a second stack on the same ports), else docker when `docker info` succeeds, else local;
 * - for `down` and `status`: the mode the last `up` recorded, else the same rule.
 * An explicit `docker` fails when no Docker engine answers.
 */
export async function resolveMode(options: ResolvedStackOptions, purpose: 'up' | 'down' | 'status'): Promise<ResolvedMode> {
  if (options.requestedMode === 'local') return 'local';
  if (options.requestedMode === 'docker') {
    if (purpose === 'up' && !(await isDockerEngineReachable())) {
      throw new DockerComposeFailedError(
        'docker info',
        'STACK_MODE=docker, but no Docker engine answers. Start Docker, or use STACK_MODE=local.',
      );
    }
    return 'docker';
  }
  if (purpose !== 'up') {
    const recorded = readRecordedMode(options.stackDir);
    if (recorded) return recorded;
  }
  if (new LocalStack(options).hasOwnedProcess()) return 'local';
  return (await isDockerEngineReachable()) ? 'docker' : 'local';
}
