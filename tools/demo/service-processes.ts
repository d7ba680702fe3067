import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DEFAULT_HTTP_PORTS, type ServiceName } from '@workpipe/config';
import { serviceMemoryEnv } from '../services/service-memory';

export const PIPELINE_SERVICES = ['ingestor', 'processor', 'retrier', 'stats'] as const satisfies readonly ServiceName[];
export type PipelineService = (typeof PIPELINE_SERVICES)[number];

export interface RunningService {
  name: PipelineService;
  url: string;
  process: ChildProcess;
  /** The service's latest output lines (stdout and stderr), oldest first. */
  recentLines: string[];
}

/** Output lines kept per service to explain a failed start. */
const RECENT_LINES = 25;

export interface StartServicesOptions {
  /** Repository root holding `dist/`. */
  root: string;
  /** Extra environment for every service. */
  env: Record<string, string>;
  /** Receives each service's log lines, prefixed with its name. */
  onLine: (service: PipelineService, line: string) => void;
}

/** Starts the built services as child processes on their default ports. */
export function startServices(options: StartServicesOptions): RunningService[] {
  return PIPELINE_SERVICES.map((name) => {
    const child = spawn(process.execPath, [`dist/apps/${name}/src/main.js`], {
      cwd: options.root,
      env: { ...process.env, ...serviceMemoryEnv(name), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const recentLines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        recentLines.push(line);
        if (recentLines.length > RECENT_LINES) recentLines.shift();
        options.onLine(name, line);
      });
    }
    return { name, url: `http://127.0.0.1:${DEFAULT_HTTP_PORTS[name]}`, process: child, recentLines };
  });
}

/**
 * Resolves when `/health` of the service answers 200; rejects if the process
 * exits first or on timeout, with the last lines the service printed.
 */
export async function waitUntilReady(service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null || service.process.signalCode !== null) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the last lines arrive
      const how = service.process.exitCode !== null ? `with code ${service.process.exitCode}` : `on ${service.process.signalCode}`;
      throw new Error(`${service.name} exited ${how} before it was ready${lastLines(service)}`);
    }
    try {
      const response = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${service.name} was not ready on ${service.url}/health within ${timeoutMs} ms${lastLines(service)}`);
}

function lastLines(service: RunningService): string {
  if (service.recentLines.length === 0) return ' (it printed nothing)';
  return `; its last lines:\n${service.recentLines.map((line) => `    ${line}`).join('\n')}`;
}

/** SIGTERM to every service, then waits for them to exit (SIGKILL after `graceMs`). */
export async function stopServices(services: readonly RunningService[], graceMs: number): Promise<void> {
  await Promise.all(
    services.map(
      (service) =>
        new Promise<void>((resolve) => {
          if (service.process.exitCode !== null || service.process.signalCode !== null) return resolve();
          const timer = setTimeout(() => service.process.kill('SIGKILL'), graceMs);
          service.process.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          service.process.kill('SIGTERM');
        }),
    ),
  );
}
