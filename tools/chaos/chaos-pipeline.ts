import { once } from 'node:events';
import { join } from 'node:path';
import type { CompiledServices } from '../services/compiled-service';
import { serviceMemoryEnv } from '../services/service-memory';
import { freePort, startServiceProcess, stopService, waitReady, type ServiceProcess } from '../services/service-process';

/** The apps a chaos run starts as processes. */
export type PipelineApp = 'ingestor' | 'processor' | 'retrier' | 'stats';

/** One process of the pipeline, by the name faults and logs use (`processor-1`, `stats`). */
interface Member {
  name: string;
  app: PipelineApp;
  port: number;
  env: Record<string, string>;
  running: ServiceProcess;
}

export interface ChaosPipelineOptions {
  /** The compiled services (one tsc build of the four apps). */
  build: CompiledServices;
  /** Processor instances (`processor-1` ... `processor-n`), each with its own client id. */
  processors: number;
  /** Environment of every service (stack endpoints, prefixes, work types). */
  env: Record<string, string>;
  /** Folder of the services' log files, one per process name (a restarted process appends). */
  logDir: string;
  /** How long a service may take to answer /health with 200, in milliseconds. */
  readyTimeoutMs: number;
}

/**
 * The four services as real processes (two or more processors), each on its own port, which a
 * fault kills with SIGKILL and starts again with the same name, port and environment.
 */
export class ChaosPipeline {
  private readonly members = new Map<string, Member>();

  private constructor(private readonly options: ChaosPipelineOptions) {}

  /** Starts every service and resolves once each answers /health; stops those started when one fails. */
  static async start(options: ChaosPipelineOptions): Promise<ChaosPipeline> {
    const pipeline = new ChaosPipeline(options);
    const specs: { name: string; app: PipelineApp; env: Record<string, string> }[] = [
      { name: 'ingestor', app: 'ingestor', env: {} },
      ...Array.from({ length: options.processors }, (_, i) => ({
        name: `processor-${i + 1}`,
        app: 'processor' as const,
        env: { KAFKA_CLIENT_ID: `chaos-processor-${i + 1}` },
      })),
      { name: 'retrier', app: 'retrier', env: {} },
      { name: 'stats', app: 'stats', env: {} },
    ];
    try {
      for (const spec of specs) {
        const env = { ...serviceMemoryEnv(spec.app), ...options.env, ...spec.env };
        const port = await freePort();
        pipeline.members.set(spec.name, { ...spec, env, port, running: pipeline.launch(spec.name, spec.app, port, env) });
      }
      await Promise.all([...pipeline.members.values()].map((member) => waitReady(member.running, options.readyTimeoutMs)));
    } catch (error) {
      await pipeline.stop();
      throw error;
    }
    return pipeline;
  }

  /** Names of the processes, e.g. `ingestor`, `processor-1`, `processor-2`, `retrier`, `stats`. */
  names(): string[] {
    return [...this.members.keys()];
  }

  /** Base URL of a service, e.g. `http://127.0.0.1:41234`. */
  url(name: string): string {
    return this.member(name).running.url;
  }

  logFile(name: string): string {
    return this.member(name).running.logFile;
  }

  /** SIGKILL (what `kill -9` does) and waits until the process is gone. */
  async kill(name: string): Promise<void> {
    const child = this.member(name).running.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts a killed process again (same name, port and environment); resolves with the time until /health answered, in milliseconds. */
  async restart(name: string): Promise<number> {
    const member = this.member(name);
    member.running = this.launch(member.name, member.app, member.port, member.env);
    return waitReady(member.running, this.options.readyTimeoutMs);
  }

  /** SIGTERM to every process (SIGKILL after `graceMs`), and waits until all are gone. */
  async stop(graceMs = 10_000): Promise<void> {
    await Promise.all([...this.members.values()].map((member) => stopService(member.running, graceMs)));
  }

  private launch(name: string, app: PipelineApp, port: number, env: Record<string, string>): ServiceProcess {
    const { build, logDir } = this.options;
    return startServiceProcess({
      name,
      entry: build.entries[app] as string,
      nodeArgs: ['-r', build.preload],
      port,
      env,
      logFile: join(logDir, `${name}.log`),
    });
  }

  private member(name: string): Member {
    const member = this.members.get(name);
    if (!member) throw new Error(`no service named ${name} (known: ${this.names().join(', ')})`);
    return member;
  }
}
