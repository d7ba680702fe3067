#!/usr/bin/env node
// Adds to package-lock.json the entries of platform-specific optional packages that npm left out
// (npm records only the installing machine's binaries, then `npm ci` refuses the lock:
// "Missing: @swc/core-darwin-arm64@... from lock file"; npm/cli#4828, #8320).
// Run after any `npm install` that changes the lock: `node tools/lockfile/complete-platform-entries.mjs`.
// Where the registry in use does not serve a platform's package (some mirrors carry only the
// platforms they run on), the entry is written from the package's name (os, cpu, libc) without an
// integrity hash: npm skips it on other platforms and fetches it normally on its own.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const lockPath = join(root, 'package-lock.json');

const check = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8' });
// npm prints `Missing: name@ from lock file` (no version) for these: the parent's spec gives it.
const missing = [...`${check.stdout}\n${check.stderr}`.matchAll(/Missing: (@?[^@\s]+)@(\S*) from lock file/g)].map(([, name, version]) => ({ name, version }));
if (missing.length === 0) {
  console.log('package-lock.json: nothing missing, npm ci accepts it');
  process.exit(0);
}

const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const parentOf = (name) =>
  Object.values(lock.packages).find((entry) => entry.optionalDependencies && name in entry.optionalDependencies);

for (const { name, version: printed } of missing) {
  const parent = parentOf(name);
  const spec = printed || parent?.optionalDependencies[name];
  if (!spec) throw new Error(`no version known for ${name}`);
  const meta = view(name, spec) ?? fromName(name, spec);
  const version = meta.version;
  const entry = meta.dist ? { version, integrity: meta.dist.integrity } : { version };
  for (const field of ['cpu', 'os', 'libc']) if (meta[field]) entry[field] = meta[field];
  if (parent?.dev) entry.dev = true;
  if (meta.license) entry.license = meta.license;
  entry.optional = true;
  if (meta.engines) entry.engines = meta.engines;
  lock.packages[`node_modules/${name}`] = entry;
  console.log(`added node_modules/${name}@${version}`);
}

const [rootEntry, ...rest] = Object.entries(lock.packages);
lock.packages = Object.fromEntries([rootEntry, ...rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);

const again = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8' });
if (again.status !== 0) {
  console.error(`npm ci still refuses the lock:\n${again.stderr}`);
  process.exit(1);
}
console.log(`package-lock.json: ${missing.length} entries added; npm ci accepts it`);

/** Registry metadata of the highest version matching `spec`, or undefined if the registry has none. */
function view(name, spec) {
  const result = spawnSync('npm', ['view', `${name}@${spec}`, '--json'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout.trim()) return undefined;
  const viewed = JSON.parse(result.stdout);
  return Array.isArray(viewed) ? viewed[viewed.length - 1] : viewed;
}

/** os/cpu/libc from a platform package's name, e.g. `@swc/core-linux-arm-gnueabihf`; license from a sibling. */
function fromName(name, spec) {
  const match = /-(darwin|linux|win32|android|freebsd|openharmony|sunos|aix)-(arm64|x64|arm|ia32|ppc64|s390x|loong64|riscv64)(?:-(gnu|gnueabihf|musl|musleabihf|msvc|eabi))?$/.exec(name);
  if (!match || !/^\d+\.\d+\.\d+/.test(spec)) throw new Error(`cannot describe ${name}@${spec}: not in the registry and not a platform package name`);
  const [, os, cpu, abi] = match;
  const libc = abi?.startsWith('gnu') ? ['glibc'] : abi?.startsWith('musl') ? ['musl'] : undefined;
  const sibling = Object.entries(lock.packages).find(([path]) => path.startsWith(`node_modules/${name.replace(/-[^/]*$/, '')}`) && path !== `node_modules/${name}`);
  return { version: spec, os: [os], cpu: [cpu], ...(libc ? { libc } : {}), license: sibling?.[1].license };
}
