import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive, readProcess } from './process-table';

export interface DetachedLaunch {
  /** Executable, e.g. the chosen `java`. */
  command: string;
  args: readonly string[];
  /** Working folder of the process. */
  cwd: string;
  /** stdout and stderr are appended to this file. */
  logFile: string;
  /** Extra environment on top of ours. */
  env?: NodeJS.ProcessEnv;
}

export interface LaunchedProcess {
  pid: number;
  /** Start time in clock ticks after boot (see {@link readProcess}). */
  startTicks?: number;
  /** True once the process has exited (only known while this Node process lives). */
  hasExited(): boolean;
}

/**
 * Starts a process in its own session with its output appended to a log file, and lets Node exit
 * while it runs (`detached` + `unref`), so `stack:up` returns with the stack still up.
 */
export function spawnDetached(launch: DetachedLaunch): LaunchedProcess {
  mkdirSync(dirname(launch.logFile), { recursive: true });
  const fd = openSync(launch.logFile, 'a');
  try {
    const child = spawn(launch.command, [...launch.args], {
      cwd: launch.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...launch.env },
    });
    let exited = false;
    child.on('exit', () => (exited = true));
    // An ENOENT here would otherwise be an unhandled 'error' event; readiness notices the dead pid.
    child.on('error', () => (exited = true));
    child.unref();
    if (child.pid === undefined) throw new Error(`Could not start ${launch.command}`);
    const pid = child.pid;
    return { pid, startTicks: readProcess(pid)?.startTicks, hasExited: () => exited || !isProcessAlive(pid) };
  } finally {
    closeSync(fd);
  }
}

/** How a process ended after {@link terminateProcess}. */
export type Termination = 'terminated' | 'killed' | 'already-gone';

const sleep = (ms: number): Promise<void> => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

/** Sends SIGTERM, waits up to `timeoutMs` milliseconds for the process to go, then SIGKILLs it. */
export async function terminateProcess(pid: number, timeoutMs: number): Promise<Termination> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'already-gone';
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return 'terminated';
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  const killDeadline = Date.now() + 5_000;
  while (Date.now() < killDeadline && isProcessAlive(pid)) await sleep(100);
  return 'killed';
}

/** Sends SIGKILL (no shutdown at all, like a crash) and waits up to 5 s for the process to be gone. */
export async function killProcess(pid: number): Promise<Termination> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'already-gone';
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && isProcessAlive(pid)) await sleep(50);
  return 'killed';
}
