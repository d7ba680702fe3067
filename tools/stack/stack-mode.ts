import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDockerEngineReachable } from './docker-compose-stack';
import { DockerComposeFailedError, InvalidStackSettingError } from './errors';
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
 * An explicit `docker` fails when no Docker engine answers, or when a cluster (STACK_KAFKA_BROKERS=3) is asked for;
 * `auto` with a cluster is local.
 */
export async function resolveMode(options: ResolvedStackOptions, purpose: 'up' | 'down' | 'status'): Promise<ResolvedMode> {
  if (options.requestedMode === 'local') return 'local';
  if (options.requestedMode === 'docker' && options.kafkaBrokers > 1) {
    throw new InvalidStackSettingError(
      'STACK_KAFKA_BROKERS',
      String(options.kafkaBrokers),
      '1 in docker mode (docker-compose.yml runs one broker); a cluster runs with STACK_MODE=local',
    );
  }
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
  // A cluster exists in local mode only.
  if (options.kafkaBrokers > 1) return 'local';
  if (new LocalStack(options).hasOwnedProcess()) return 'local';
  return (await isDockerEngineReachable()) ? 'docker' : 'local';
}
