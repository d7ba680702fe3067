import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readProcess } from './process-table';

/** What we remember about a process we started, to recognise it later despite pid reuse. */
export interface PidRecord {
  pid: number;
  /** Start time in clock ticks after boot, from /proc/<pid>/stat; must match for the pid to still be ours. */
  startTicks?: number;
  /** Text that must appear in /proc/<pid>/cmdline for the process to be ours, e.g. `-Dworkpipe.stack.component=kafka`. */
  marker: string;
  /** The runtime, for `status`, e.g. `Java 17.0.15 (/usr/bin/java)`. */
  runtime?: string;
  /** ISO-8601 start time. */
  startedAt: string;
  /** Size of the log file, in bytes, when the process started: its own output begins there. */
  logOffset?: number;
}

/** A JSON pid file for one stack process. */
export class PidFile {
  constructor(readonly path: string) {}

  read(): PidRecord | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8').trim();
    } catch {
      return undefined;
    }
    try {
      const parsed = JSON.parse(text) as Partial<PidRecord>;
      if (typeof parsed.pid !== 'number' || typeof parsed.marker !== 'string') return undefined;
      return parsed as PidRecord;
    } catch {
      return undefined;
    }
  }

  write(record: PidRecord): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, `${JSON.stringify(record, null, 2)}\n`);
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }

  /**
   * The recorded process when it is still alive and still ours: same start time and its
   * /proc/<pid>/cmdline still holds the marker. A reused pid, or a dead one, gives undefined.
   */
  ownedProcess(): PidRecord | undefined {
    const record = this.read();
    if (!record) return undefined;
    return isOwnedProcess(record) ? record : undefined;
  }
}

export function isOwnedProcess(record: PidRecord): boolean {
  const info = readProcess(record.pid);
  if (!info || info.state === 'Z' || info.state === 'X') return false;
  if (record.startTicks !== undefined && info.startTicks !== record.startTicks) return false;
  return info.cmdline.join(' ').includes(record.marker);
}
