import { mkdirSync } from 'node:fs';
import { RedisNotInstalledError } from './errors';
import { findExecutable } from './find-executable';
import { probeRedisPing, redisVersion } from './service-probes';
import { ComponentDownResult, ComponentStatus, ComponentUpResult, StackComponent } from './stack-component';
import { ResolvedStackOptions, STACK_HOST } from './stack-options';
import { StackPaths } from './stack-paths';
import { PreparedLaunch, SupervisedProcess } from './supervised-process';

/**
 * Redis for the stack. Any Redis already answering PING on the port is used as it is and never
 * stopped; otherwise the machine's redis-server runs with no persistence (a dev cache, not a store).
 */
export class RedisServer implements StackComponent {
  readonly name = 'redis' as const;
  readonly label = 'Redis';
  readonly url: string;
  private readonly supervisor: SupervisedProcess;
  private readonly marker: string;

  constructor(
    private readonly options: ResolvedStackOptions,
    private readonly paths: StackPaths,
  ) {
    const port = options.ports.redis;
    this.url = `redis://${STACK_HOST}:${port}`;
    // redis-server rewrites its command line to its process title, so the marker goes there.
    this.marker = `workpipe-stack:redis=${paths.root}`;
    this.supervisor = new SupervisedProcess({
      name: this.name,
      label: this.label,
      port,
      endpoint: this.url,
      probeDescription: `PING on ${STACK_HOST}:${port}`,
      pidFile: paths.redisPidFile,
      logFile: paths.redisLog,
      marker: this.marker,
      probe: () => probeRedisPing(port),
      version: () => redisVersion(port),
      readyTimeoutMs: options.readyTimeoutMs,
      stopTimeoutMs: options.stopTimeoutMs,
      log: options.log,
    });
  }

  status(): Promise<ComponentStatus> {
    return this.supervisor.status();
  }

  up(): Promise<ComponentUpResult> {
    return this.supervisor.up(async () => this.prepare());
  }

  down(): Promise<ComponentDownResult> {
    return this.supervisor.down();
  }

  private prepare(): PreparedLaunch {
    const { options, paths } = this;
    const redisServer = findExecutable('redis-server', options.env);
    if (!redisServer) throw new RedisNotInstalledError(options.ports.redis);
    mkdirSync(paths.redisDir, { recursive: true });
    return {
      command: redisServer,
      args: [
        '--port',
        String(options.ports.redis),
        '--bind',
        STACK_HOST,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        paths.redisDir,
        '--proc-title-template',
        `{title} {listen-addr} ${this.marker}`,
      ],
      cwd: paths.redisDir,
      logFile: paths.redisLog,
      runtime: redisServer,
    };
  }
}
