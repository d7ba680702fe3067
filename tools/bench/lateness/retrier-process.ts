import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from 'tsconfig-paths';

/**
 * The retrier as it runs in production: compiled by tsc (with decorator
 * metadata, which tsx cannot emit) and started with `node` as a child process.
 *
 * It is compiled on every run from the current sources, into a private folder
 * under `node_modules/.cache` (so `dist/`, which other work may be using, is
 * left alone, and `node_modules` is found by the usual lookup), then the path
 * aliases `@workpipe/*` are mapped to that folder by tsconfig-paths, as
 * tsconfig.json maps them to the sources.
 */
export interface BuiltRetrier {
  /** The compiled `apps/retrier/src/main.js`. */
  entry: string;
  /** A module to preload with `node -r`: maps `@workpipe/*` into the build. */
  preload: string;
  /** Folder to delete when done. */
  dir: string;
}

export function buildRetrier(root: string, runId: string): BuiltRetrier {
  const dir = join(root, 'node_modules', '.cache', 'workpipe-bench', `retrier-${runId}`);
  const out = join(dir, 'out');
  mkdirSync(dir, { recursive: true });
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      // Only the retrier's import graph: work in progress elsewhere in the repository cannot break the build.
      compilerOptions: { outDir: out, rootDir: root, sourceMap: false, noEmit: false, types: ['node'] },
      files: [join(root, 'apps/retrier/src/main.ts')],
      include: [],
    }),
  );
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], {
    cwd: root,
    encoding: 'utf8',
  });
  const entry = join(out, 'apps/retrier/src/main.js');
  if (tsc.status !== 0 || !existsSync(entry)) {
    throw new Error(`compiling the retrier failed (tsc exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}`);
  }
  const aliases = loadConfig(root);
  if (aliases.resultType !== 'success') throw new Error(`reading the path aliases of ${root}: ${aliases.message}`);
  const preload = join(dir, 'paths.js');
  writeFileSync(
    preload,
    `require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(out)}, paths: ${JSON.stringify(aliases.paths)}, addMatchAll: false });\n`,
  );
  return { entry, preload, dir };
}

export function removeBuild(build: BuiltRetrier): void {
  rmSync(build.dir, { recursive: true, force: true });
}

/** A free TCP port on 127.0.0.1, for the retrier's /health and /metrics. */
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

export interface RunningRetrier {
  process: ChildProcess;
  url: string;
  logFile: string;
}

/** Starts the built retrier with `env` on top of this process's environment; its output goes to `logFile`. */
export function startRetrier(build: BuiltRetrier, env: Record<string, string>, port: number, logFile: string): RunningRetrier {
  const child = spawn(process.execPath, ['-r', build.preload, build.entry], {
    env: { ...process.env, ...env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { process: child, url: `http://127.0.0.1:${port}`, logFile };
}

/** Resolves once `/health` answers 200; rejects if the process exits first or after `timeoutMs`. */
export async function waitUntilHealthy(retrier: RunningRetrier, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (retrier.process.exitCode !== null) throw new Error(`the retrier exited with code ${retrier.process.exitCode}; see ${retrier.logFile}`);
    try {
      const response = await fetch(`${retrier.url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the retrier was not healthy within ${timeoutMs} ms; see ${retrier.logFile}`);
}

/** SIGTERM (the retrier drains and commits), SIGKILL after `graceMs`; resolves when it has exited. */
export function stopRetrier(retrier: RunningRetrier, graceMs: number): Promise<void> {
  const child = retrier.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
