import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledServices } from '../../../tools/services/compiled-service';
import { freePort, startServiceProcess, type ServiceProcess } from '../../../tools/services/service-process';
import type { TestEnv } from '../../support/test-env';

/** A compiled service running as a process, with what it wrote to stderr kept apart. */
export interface ServiceRun extends ServiceProcess {
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Every line of its log (stdout and stderr) so far. */
  logLines(): string[];
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `app` of `build` as a process on the test's prefixes (topics, groups,
 * Redis keys), `env` on top; its output goes to a log file in the temp directory.
 */
export async function runService(build: CompiledServices, app: string, test: TestEnv, name: string, env: Record<string, string> = {}): Promise<ServiceRun> {
  const service = startServiceProcess({
    name: `${app}-${name}`,
    entry: build.entries[app] as string,
    nodeArgs: ['-r', build.preload],
    port: await freePort(),
    env: {
      TOPIC_PREFIX: test.topicPrefix,
      REDIS_KEY_PREFIX: test.redisPrefix,
      TOPIC_PARTITIONS: '3',
      KAFKA_CLIENT_ID: `${app}-${test.id}`,
      LOG_LEVEL: 'info',
      ...env,
    },
    logFile: join(tmpdir(), `workpipe-test-${test.id}-${name}.log`),
  });
  let stderr = '';
  service.process.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (service.process.exitCode !== null) resolve({ code: service.process.exitCode, signal: null });
    else service.process.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    ...service,
    stderr: () => stderr,
    logLines: () => readLog(service.logFile),
    exited,
  };
}

/** The process's exit, or a rejection after `timeoutMs` (the process is then killed, so nothing is left running). */
export async function exitWithin(run: ServiceRun, timeoutMs: number, what: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.process.kill('SIGKILL');
      reject(new Error(`${run.name} did not exit within ${timeoutMs} ms (${what}); killed; see ${run.logFile}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills the process if it still runs (cleanup after a failed assertion). */
export async function killRun(run: ServiceRun | undefined): Promise<void> {
  if (!run || run.process.exitCode !== null || run.process.signalCode !== null) return;
  run.process.kill('SIGKILL');
  await run.exited;
}

function readLog(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
  } catch {
    return [];
  }
}
