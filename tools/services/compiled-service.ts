import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from 'tsconfig-paths';

/**
 * A service compiled from the current sources the way it runs in production:
 * by tsc (with the decorator metadata Nest needs, which tsx cannot emit), into
 * a private folder under `node_modules/.cache` (so `dist/`, which other work
 * may be using, is left alone), with a preload that maps the `@workpipe/*`
 * aliases into the build as tsconfig.json maps them to the sources.
 * For benchmarks and for tests that kill or signal a real process.
 */
export interface CompiledService {
  /** The compiled `apps/<app>/src/main.js`. */
  entry: string;
  /** A module to preload with `node -r`: maps `@workpipe/*` into the build. */
  preload: string;
  /** Folder to delete when done. */
  dir: string;
}

/** Compiles `apps/<app>/src/main.ts` and what it imports; throws with tsc's output if it fails. */
export function compileService(root: string, app: string, runId: string): CompiledService {
  const build = compileServices(root, [app], `${app}-${runId}`);
  return { entry: build.entries[app] as string, preload: build.preload, dir: build.dir };
}

/** Several services in one build (one tsc run, one preload), e.g. the whole pipeline. */
export interface CompiledServices {
  /** The compiled `apps/<app>/src/main.js` of each app. */
  entries: Record<string, string>;
  preload: string;
  dir: string;
}

/** Compiles the `main.ts` of each app and what they import, in one tsc run; throws with tsc's output if it fails. */
export function compileServices(root: string, apps: readonly string[], runId: string): CompiledServices {
  const dir = join(root, 'node_modules', '.cache', 'workpipe-services', runId);
  const out = join(dir, 'out');
  mkdirSync(dir, { recursive: true });
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      // Only the services' import graph: work in progress elsewhere in the repository cannot break the build.
      compilerOptions: { outDir: out, rootDir: root, sourceMap: false, noEmit: false, types: ['node'] },
      files: apps.map((app) => join(root, `apps/${app}/src/main.ts`)),
      include: [],
    }),
  );
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { cwd: root, encoding: 'utf8' });
  const entries = Object.fromEntries(apps.map((app) => [app, join(out, `apps/${app}/src/main.js`)]));
  if (tsc.status !== 0 || !Object.values(entries).every((entry) => existsSync(entry))) {
    throw new Error(`compiling ${apps.join(', ')} failed (tsc exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}`);
  }
  const aliases = loadConfig(root);
  if (aliases.resultType !== 'success') throw new Error(`reading the path aliases of ${root}: ${aliases.message}`);
  const preload = join(dir, 'paths.js');
  writeFileSync(
    preload,
    `require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(out)}, paths: ${JSON.stringify(aliases.paths)}, addMatchAll: false });\n`,
  );
  return { entries, preload, dir };
}

export function removeCompiled(build: { dir: string }): void {
  rmSync(build.dir, { recursive: true, force: true });
}
