import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

/** A service running as a child process, with its output in a log file. */
export interface ServiceProcess {
  name: string;
  url: string;
  process: ChildProcess;
  logFile: string;
}

export interface ServiceLaunch {
  name: string;
  /** The service's entry (`dist/apps/<app>/src/main.js`, or a compiled one). */
  entry: string;
  /** `node` options before the entry (e.g. `-r <preload>`, `--cpu-prof`). */
  nodeArgs?: string[];
  port: number;
  env: Record<string, string>;
  logFile: string;
  cwd?: string;
}

/** Starts a service with `node`, on 127.0.0.1:`port`, `env` on top of this process's environment. */
export function startServiceProcess(launch: ServiceLaunch): ServiceProcess {
  mkdirSync(dirname(launch.logFile), { recursive: true });
  const log = createWriteStream(launch.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...(launch.nodeArgs ?? []), launch.entry], {
    cwd: launch.cwd,
    env: { ...process.env, ...launch.env, HTTP_PORT: String(launch.port), HTTP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name: launch.name, url: `http://127.0.0.1:${launch.port}`, process: child, logFile: launch.logFile };
}

/** Resolves with the time it took once `/health` answers 200; rejects when the process exits first or after `timeoutMs`. */
export async function waitReady(service: ServiceProcess, timeoutMs: number): Promise<number> {
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

/** SIGTERM (the service drains and commits), SIGKILL after `graceMs`; resolves with the exit code. */
export function stopService(service: ServiceProcess, graceMs = 20_000): Promise<number | null> {
  const child = service.process;
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
