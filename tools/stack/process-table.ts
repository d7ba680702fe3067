import { readFileSync } from 'node:fs';

/** What /proc says about a process. */
export interface ProcessInfo {
  pid: number;
  /** One-letter state: R, S, D, Z (zombie), T... */
  state: string;
  /** Start time in clock ticks after boot (field 22 of /proc/<pid>/stat): with the pid it names one process for good. */
  startTicks: number;
  /** Its argv as /proc/<pid>/cmdline gives it (a program may rewrite it, as redis-server does). */
  cmdline: string[];
}

/**
 * Reads `/proc/<pid>/stat`'s state and start time. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last `)`.
 */
export function parseProcStat(stat: string): { state: string; startTicks: number } | undefined {
  const end = stat.lastIndexOf(')');
  if (end < 0) return undefined;
  const fields = stat.slice(end + 2).split(' ');
  // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
  const startTicks = Number(fields[19]);
  if (!fields[0] || !Number.isFinite(startTicks)) return undefined;
  return { state: fields[0], startTicks };
}

/** Reads a process from /proc; undefined when there is no such process. */
export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    if (!stat) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg.length > 0);
    return { pid, state: stat.state, startTicks: stat.startTicks, cmdline };
  } catch {
    return undefined;
  }
}

/** True when the process exists and is not a zombie (an exited child not yet reaped). */
export function isProcessAlive(pid: number): boolean {
  const info = readProcess(pid);
  return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}
