import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { PortInUseError, ProcessExitedError, ReadinessTimeoutError } from './errors';
import { DetachedLaunch, killProcess, spawnDetached, terminateProcess } from './detached-process';
import { PidFile, PidRecord } from './pid-file';
import { isProcessAlive } from './process-table';
import { ProbeResult, isPortOpen, tailFile, waitForReady } from './readiness';
import { STACK_HOST } from './stack-options';
import { ComponentDownResult, ComponentName, ComponentStatus, ComponentUpResult } from './stack-component';

/** Keeps the log's start line readable: a classpath is thousands of characters. */
function shortArg(arg: string): string {
  return arg.length > 160 ? `${arg.slice(0, 80)}...(${arg.length} characters)` : arg;
}

function logSize(logFile: string): number {
  try {
    return statSync(logFile).size;
  } catch {
    return 0;
  }
}

/** Everything {@link SupervisedProcess} needs to know about one stack part. */
export interface SupervisedProcessSpec {
  name: ComponentName;
  label: string;
  /** The main port on 127.0.0.1 (used to spot a port taken by someone else). */
  port: number;
  /** What clients connect to, for messages, e.g. `127.0.0.1:9092`. */
  endpoint: string;
  /** What the readiness probe checks, for messages, e.g. `127.0.0.1:9092 (broker metadata)`. */
  probeDescription: string;
  pidFile: string;
  logFile: string;
  /** Must appear in /proc/<pid>/cmdline of our process (see {@link PidRecord.marker}). */
  marker: string;
  /** Answers whether the service is usable now. */
  probe: () => Promise<ProbeResult>;
  /** Product and version of a ready service, e.g. `Apicurio Registry 3.3.3`. */
  version: () => Promise<string | undefined>;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  log: (line: string) => void;
}

/** What to run, prepared on demand (jars resolved, storage formatted...) only when a start is needed. */
export interface PreparedLaunch extends DetachedLaunch {
  /** Recorded in the pid file for `status`, e.g. `Java 17.0.15 (/usr/bin/java)`. */
  runtime?: string;
}

/**
 * The start/stop/status rules shared by every locally run part:
 * a part is ours when its pid file names a live process whose start time and command line still match;
 * `up` is a no-op for a part that is ours (it only waits for readiness) or that some other process serves;
 * `down` stops only what is ours, SIGTERM first and SIGKILL after the stop timeout.
 */
export class SupervisedProcess {
  private readonly pidFile: PidFile;

  constructor(private readonly spec: SupervisedProcessSpec) {
    this.pidFile = new PidFile(spec.pidFile);
  }

  ownedProcess(): PidRecord | undefined {
    return this.pidFile.ownedProcess();
  }

  async status(): Promise<ComponentStatus> {
    const { spec } = this;
    const base = { name: spec.name, label: spec.label, endpoint: spec.endpoint };
    const owned = this.ownedProcess();
    const probe = await spec.probe();
    if (owned) {
      return {
        ...base,
        state: probe.ready ? 'running' : 'starting',
        ready: probe.ready,
        pid: owned.pid,
        runtime: owned.runtime,
        logFile: spec.logFile,
        version: probe.ready ? await spec.version() : undefined,
        detail: probe.ready ? undefined : probe.reason,
      };
    }
    if (probe.ready) return { ...base, state: 'external', ready: true, version: await spec.version() };
    if (await isPortOpen(STACK_HOST, spec.port)) {
      return { ...base, state: 'unhealthy', ready: false, detail: `port ${spec.port} is taken but ${probe.reason}` };
    }
    return { ...base, state: 'stopped', ready: false };
  }

  async up(prepare: () => Promise<PreparedLaunch>): Promise<ComponentUpResult> {
    const { spec } = this;
    const base = { name: spec.name, label: spec.label, endpoint: spec.endpoint };
    const owned = this.ownedProcess();
    if (owned) {
      const probe = await spec.probe();
      if (!probe.ready) {
        spec.log(`${spec.name}: pid ${owned.pid} is ours but not ready yet; waiting for ${spec.probeDescription}`);
        await this.waitUntilReady(owned.pid, () => !isProcessAlive(owned.pid));
      }
      return {
        ...base,
        action: 'already-running',
        state: 'running',
        ready: true,
        pid: owned.pid,
        runtime: owned.runtime,
        logFile: spec.logFile,
        version: await spec.version(),
      };
    }
    if (this.pidFile.read()) {
      spec.log(`${spec.name}: removing stale pid file ${spec.pidFile} (that process is gone or is not ours any more)`);
      this.pidFile.remove();
    }
    if ((await spec.probe()).ready) {
      return { ...base, action: 'external', state: 'external', ready: true, version: await spec.version() };
    }
    if (await isPortOpen(STACK_HOST, spec.port)) throw new PortInUseError(spec.label, spec.port);

    const launch = await prepare();
    spec.log(`${spec.name}: starting ${launch.command} (log: ${spec.logFile})`);
    const logOffset = logSize(spec.logFile);
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const commandLine = [launch.command, ...launch.args.map(shortArg)].join(' ');
    appendFileSync(spec.logFile, `[workpipe stack] ${new Date().toISOString()} starting ${commandLine}\n`);
    const launched = spawnDetached({ ...launch, logFile: spec.logFile });
    const record: PidRecord = {
      pid: launched.pid,
      startTicks: launched.startTicks,
      marker: spec.marker,
      runtime: launch.runtime,
      startedAt: new Date().toISOString(),
      logOffset,
    };
    this.pidFile.write(record);
    spec.log(`${spec.name}: pid ${launched.pid}; waiting for ${spec.probeDescription}`);
    try {
      await this.waitUntilReady(launched.pid, () => launched.hasExited(), logOffset);
    } catch (error) {
      // A dead process leaves no pid file behind; one still starting keeps it, so `down` can stop it.
      if (error instanceof ProcessExitedError) this.pidFile.remove();
      throw error;
    }
    return {
      ...base,
      action: 'started',
      state: 'running',
      ready: true,
      pid: launched.pid,
      runtime: launch.runtime,
      logFile: spec.logFile,
      version: await spec.version(),
    };
  }

  /** Stops our process: SIGTERM, then SIGKILL after `stopTimeoutMs` milliseconds (default: the spec's stop timeout). */
  async down(stopTimeoutMs: number = this.spec.stopTimeoutMs): Promise<ComponentDownResult> {
    const { spec } = this;
    const base = { name: spec.name, label: spec.label };
    const owned = this.ownedProcess();
    if (owned) {
      spec.log(`${spec.name}: stopping pid ${owned.pid} (SIGTERM, SIGKILL after ${Math.round(stopTimeoutMs / 1000)} s)`);
      const termination = await terminateProcess(owned.pid, stopTimeoutMs);
      this.pidFile.remove();
      return { ...base, action: termination === 'killed' ? 'killed' : 'stopped', pid: owned.pid };
    }
    const stale = this.pidFile.read();
    if (stale) {
      this.pidFile.remove();
      return { ...base, action: 'removed-stale-pid', pid: stale.pid, detail: `pid ${stale.pid} is gone or no longer ours; left alone` };
    }
    if ((await spec.probe()).ready) return { ...base, action: 'left-external', detail: 'not started by us; left running' };
    return { ...base, action: 'not-running' };
  }

  /** SIGKILL for the process we started (a crash, for fault tests); the pid file goes too. Nothing else is touched. */
  async kill(): Promise<ComponentDownResult> {
    const { spec } = this;
    const base = { name: spec.name, label: spec.label };
    const owned = this.ownedProcess();
    if (!owned) return { ...base, action: 'not-running', detail: 'no process of ours to kill' };
    spec.log(`${spec.name}: killing pid ${owned.pid} (SIGKILL)`);
    await killProcess(owned.pid);
    this.pidFile.remove();
    return { ...base, action: 'killed-as-asked', pid: owned.pid };
  }

  private async waitUntilReady(pid: number, hasExited: () => boolean, logOffset = 0): Promise<void> {
    const { spec } = this;
    await waitForReady(spec.probe, {
      timeoutMs: spec.readyTimeoutMs,
      abortIf: () =>
        hasExited() ? new ProcessExitedError(spec.label, pid, spec.logFile, tailFile(spec.logFile, 25, logOffset)) : undefined,
      onTimeout: (lastReason) =>
        new ReadinessTimeoutError(spec.label, spec.probeDescription, spec.readyTimeoutMs, spec.logFile, lastReason),
    });
  }
}
