import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ensureStack, getStackStatus, stopStack, type StackOptions, type StackPorts, type StackUpResult } from '../../tools/stack';
import { isProcessAlive, readProcess } from '../../tools/stack/process-table';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait-for';

/**
 * `stack:up` is idempotent and `stack:down` stops only what `up` started, on a second local stack
 * of its own (a temporary state folder, its own Kafka, controller and registry ports), never the
 * default stack the other tests use. Its Redis is one the stack finds running: a redis-server this
 * test starts itself on a free port, so `down` could be seen (and shown by a deliberate break) to
 * stop a Redis it did not start without touching the machine's Redis at 6379.
 * Kafka and Apicurio are the default stack's downloads (~/.m2 and ~/.cache/workpipe): nothing is fetched.
 */

const ROOT = join(__dirname, '..', '..');
/** A cold Kafka and Apicurio start on 2 busy cores can take a minute or more each. */
const READY_TIMEOUT_MS = 180_000;
const STACK_TEST_TIMEOUT_MS = 420_000;

let stackDir: string;
let ports: StackPorts;
let foreignRedis: ChildProcess | undefined;

/** The environment of the second stack, without any STACK_* / KAFKA_VERSION of the caller's shell. */
function stackEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^STACK_|^KAFKA_VERSION$/.test(name)));
  return {
    ...env,
    STACK_MODE: 'local',
    STACK_DIR: stackDir,
    STACK_KAFKA_PORT: String(ports.kafka),
    STACK_KAFKA_CONTROLLER_PORT: String(ports.kafkaController),
    STACK_SCHEMA_REGISTRY_PORT: String(ports.schemaRegistry),
    STACK_REDIS_PORT: String(ports.redis),
    STACK_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
  };
}

function stackOptions(): StackOptions {
  return { env: stackEnv(), log: (line) => process.stdout.write(`[second stack] ${line}\n`) };
}

/** `npm run stack:<command>` against the second stack; resolves with its exit code and output. */
function npmStack(command: 'up' | 'down'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', `stack:${command}`], { cwd: ROOT, env: stackEnv(), timeout: READY_TIMEOUT_MS + 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Live processes whose command line carries one of the second stack's markers (`...=<its state folder>`). */
function processesOfSecondStack(): { pid: number; part: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      const info = readProcess(Number(name));
      if (!info || info.state === 'Z' || !isProcessAlive(info.pid)) return [];
      const match = /-Dworkpipe\.stack\.(kafka|schema-registry)=(\S+)/.exec(info.cmdline.join(' '));
      return match && match[2] === stackDir ? [{ pid: info.pid, part: match[1] }] : [];
    });
}

function pidsOf(result: { components: { name: string; pid?: number }[] }): Record<string, number | undefined> {
  return Object.fromEntries(result.components.map((component) => [component.name, component.pid]));
}

async function ping(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    return await redis.ping();
  } finally {
    redis.disconnect();
  }
}

beforeAll(async () => {
  stackDir = mkdtempSync(join(tmpdir(), 'workpipe-second-stack-'));
  ports = { kafka: await freePort(), kafkaController: await freePort(), schemaRegistry: await freePort(), redis: await freePort() };
  // A Redis the second stack did not start: its `up` must use it as is and its `down` leave it running.
  foreignRedis = spawn('redis-server', ['--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', stackDir], {
    stdio: 'ignore',
  });
  await waitFor(() => ping(`redis://127.0.0.1:${ports.redis}`).then((answer) => answer === 'PONG'), { timeoutMs: 15_000, description: 'the foreign redis-server' });
});

afterAll(async () => {
  // Whatever the tests did: stop the second stack, and anything of it still alive (by pid, by its unique marker).
  if (stackDir) {
    await stopStack(stackOptions()).catch(() => undefined);
    for (const { pid } of processesOfSecondStack()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (foreignRedis && foreignRedis.exitCode === null && foreignRedis.signalCode === null) {
    const exited = new Promise((resolve) => foreignRedis?.once('exit', resolve));
    foreignRedis.kill('SIGTERM');
    await exited;
  }
  if (stackDir) rmSync(stackDir, { recursive: true, force: true });
}, 180_000);

describe('a second local stack in its own state folder and ports', () => {
  let first: StackUpResult;

  it(
    'stack:up twice gives one set of processes: the second up starts nothing and reports the same pids',
    async () => {
      const defaultStackBefore = await getStackStatus({ env: { ...process.env, STACK_MODE: 'local' } });

      first = await ensureStack(stackOptions());
      expect(first.stackDir).toBe(stackDir);
      expect(Object.fromEntries(first.components.map((component) => [component.name, component.action]))).toEqual({
        kafka: 'started',
        'schema-registry': 'started',
        redis: 'external',
      });
      expect(first.kafkaBrokers).toBe(`127.0.0.1:${ports.kafka}`);
      const started = pidsOf(first);
      expect(started.kafka).toEqual(expect.any(Number));
      expect(started['schema-registry']).toEqual(expect.any(Number));
      expect(started.redis).toBeUndefined();

      const again = await npmStack('up');
      expect(again).toMatchObject({ code: 0 });
      expect(again.stdout).toMatch(/Kafka\s+already running: no-op/);
      expect(again.stdout).toMatch(/Schema registry\s+already running: no-op/);
      expect(again.stdout).toMatch(/Redis\s+external: not ours, used as is/);

      const third = await ensureStack(stackOptions());
      expect(third.startedHere).toBe(false);
      expect(pidsOf(third)).toEqual(started);
      // One process per part, the very ones the first up started.
      expect(processesOfSecondStack().sort((a, b) => a.pid - b.pid)).toEqual(
        [
          { pid: started.kafka, part: 'kafka' },
          { pid: started['schema-registry'], part: 'schema-registry' },
        ].sort((a, b) => (a.pid as number) - (b.pid as number)),
      );

      // The default stack was not touched.
      const defaultStackNow = await getStackStatus({ env: { ...process.env, STACK_MODE: 'local' } });
      expect(pidsOf(defaultStackNow)).toEqual(pidsOf(defaultStackBefore));
    },
    STACK_TEST_TIMEOUT_MS,
  );

  it(
    'stack:down stops the Kafka and registry it started and leaves the Redis it found running',
    async () => {
      const started = pidsOf(first);
      const down = await npmStack('down');
      expect(down).toMatchObject({ code: 0 });
      expect(down.stdout).toMatch(/Schema registry\s+stopped/);
      expect(down.stdout).toMatch(/Kafka\s+stopped/);
      expect(down.stdout).toMatch(/Redis\s+external: left running/);

      expect(isProcessAlive(started.kafka as number)).toBe(false);
      expect(isProcessAlive(started['schema-registry'] as number)).toBe(false);
      expect(processesOfSecondStack()).toEqual([]);
      expect(await ping(`redis://127.0.0.1:${ports.redis}`)).toBe('PONG');
      expect(foreignRedis?.exitCode).toBeNull();
      // And the machine's Redis the other tests use (at 6379), which neither stack started.
      expect(await ping(process.env.REDIS_URL as string)).toBe('PONG');

      const status = await getStackStatus(stackOptions());
      expect(Object.fromEntries(status.components.map((component) => [component.name, component.state]))).toEqual({
        kafka: 'stopped',
        'schema-registry': 'stopped',
        redis: 'external',
      });
    },
    STACK_TEST_TIMEOUT_MS,
  );
});
