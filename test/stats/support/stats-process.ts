import { join } from 'node:path';
import { compileService, removeCompiled, type CompiledService } from '../../../tools/services/compiled-service';
import { freePort, startServiceProcess, stopService, waitReady, type ServiceProcess } from '../../../tools/services/service-process';
import type { TestEnv } from '../../support/test-env';

const ROOT = join(__dirname, '../../..');
let build: CompiledService | undefined;

/**
 * The stats service compiled from the current sources, once per test file (tsc, into
 * `node_modules/.cache`, leaving `dist/` alone); {@link removeCompiledStats} deletes it.
 */
function compiledStats(): CompiledService {
  build ??= compileService(ROOT, 'stats', `alerts-${process.pid}`);
  return build;
}

export function removeCompiledStats(): void {
  if (build) removeCompiled(build);
  build = undefined;
}

/** A pino line of the service, parsed. */
export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/**
 * One stats instance as its own process: its own /metrics (prom-client's registry is per
 * process, so no other instance's readings show in it) and its own log, captured line by line.
 */
export class StatsProcess {
  private readonly lines: string[] = [];
  private readonly closed: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly service: ServiceProcess,
  ) {
    let rest = '';
    service.process.stdout?.setEncoding('utf8');
    service.process.stdout?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.closed = new Promise((resolve) =>
      service.process.once('close', () => {
        if (rest) this.lines.push(rest);
        resolve();
      }),
    );
  }

  /** Starts an instance on the test's prefixes, with `settings` on top, and waits until /health is ready. */
  static async start(env: TestEnv, name: string, settings: Record<string, string>): Promise<StatsProcess> {
    const compiled = compiledStats();
    const port = await freePort();
    const service = startServiceProcess({
      name,
      entry: compiled.entry,
      nodeArgs: ['-r', compiled.preload],
      port,
      cwd: ROOT,
      // Deleted with the build.
      logFile: join(compiled.dir, 'logs', `${env.id}-${name}.log`),
      env: {
        TOPIC_PREFIX: env.topicPrefix,
        REDIS_KEY_PREFIX: env.redisPrefix,
        TOPIC_PARTITIONS: '3',
        KAFKA_CLIENT_ID: `stats-${env.id}-${name}`,
        LOG_LEVEL: 'warn',
        ...settings,
      },
    });
    const instance = new StatsProcess(name, service);
    try {
      await waitReady(service, 90_000);
    } catch (error) {
      await instance.kill();
      throw error;
    }
    return instance;
  }

  get url(): string {
    return this.service.url;
  }

  /** GETs a JSON body, failing on a non-200. */
  async getJson(path: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.url}${path}`);
    if (response.status !== 200) throw new Error(`GET ${this.name}${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** The value of one sample of this instance's /metrics (`name{labels}`), or undefined when it has none. */
  async metric(sample: string): Promise<number | undefined> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const line = text.split('\n').find((row) => row.startsWith(`${sample} `));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  }

  /** The pino lines logged so far (other output left out). */
  logs(): LogLine[] {
    return this.lines.flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as LogLine;
        return typeof parsed.msg === 'string' ? [parsed] : [];
      } catch {
        return [];
      }
    });
  }

  /** SIGTERM (a clean shutdown); resolves once the process exited and its output is read. */
  async stop(): Promise<number | null> {
    const code = await stopService(this.service);
    await this.closed;
    return code;
  }

  /** SIGKILL: no shutdown at all. */
  async kill(): Promise<void> {
    if (this.service.process.exitCode === null && this.service.process.signalCode === null) this.service.process.kill('SIGKILL');
    await this.closed;
  }
}
