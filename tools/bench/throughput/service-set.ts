import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchService {
  name: string;
  url: string;
  process: ChildProcess;
  logFile: string;
}

export interface ServiceLaunch {
  /** `ingestor`, `processor`, ... (the folder under dist/apps). */
  app: string;
  /** Name in the figures, e.g. `processor-2`. */
  name: string;
  port: number;
  env: Record<string, string>;
}

/** Starts a built service (`<root>/dist/apps/<app>/src/main.js`) with `node`, its output in `<logDir>/<name>.log`. */
export function startService(root: string, logDir: string, launch: ServiceLaunch): BenchService {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${launch.name}.log`);
  const log = createWriteStream(logFile);
  // BENCH_NODE_OPTIONS_PROCESSOR='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles one kind of service.
  const nodeOptions = (process.env[`BENCH_NODE_OPTIONS_${launch.app.toUpperCase()}`] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeOptions, join(root, 'dist/apps', launch.app, 'src/main.js')], {
    cwd: root,
    env: { ...process.env, ...launch.env, HTTP_PORT: String(launch.port), HTTP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name: launch.name, url: `http://127.0.0.1:${launch.port}`, process: child, logFile };
}

/** Resolves when `/health` answers 200; rejects when the process exits first or after `timeoutMs`. */
export async function waitReady(service: BenchService, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (service.process.exitCode !== null) throw new Error(`${service.name} exited with ${service.process.exitCode}; see ${service.logFile}`);
    try {
      const response = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return Date.now() - started;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${service.name} not ready within ${timeoutMs} ms; see ${service.logFile}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
export function stopService(service: BenchService, graceMs = 20_000): Promise<number | null> {
  return new Promise((resolve) => {
    if (service.process.exitCode !== null || service.process.signalCode !== null) return resolve(service.process.exitCode);
    const timer = setTimeout(() => service.process.kill('SIGKILL'), graceMs);
    service.process.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    service.process.kill('SIGTERM');
  });
}
