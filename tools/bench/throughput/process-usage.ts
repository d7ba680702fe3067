import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU used so far by a process (user + system), in milliseconds; undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Resident memory now and at its peak, in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Pids of running processes whose command line contains `needle`. */
export function pidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (command.includes(needle)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** A named set of processes whose CPU is read between two points and whose memory is sampled. */
export class ProcessSet {
  private start = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  private sampler?: NodeJS.Timeout;

  constructor(readonly processes: ReadonlyMap<string, number>) {}

  mark(): void {
    this.start = new Map([...this.processes].map(([name, pid]) => [name, cpuMs(pid) ?? 0]));
  }

  /** CPU used by each process since `mark`, in milliseconds. */
  cpuSinceMark(): Map<string, number> {
    return new Map([...this.processes].map(([name, pid]) => [name, (cpuMs(pid) ?? 0) - (this.start.get(name) ?? 0)]));
  }

  /** Samples resident memory every 250 ms until `stopSampling`. */
  sampleMemory(): void {
    this.peaks.clear();
    this.sampler = setInterval(() => {
      for (const [name, pid] of this.processes) {
        const memory = memoryMb(pid);
        if (memory) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, memory.rss));
      }
    }, 250);
    this.sampler.unref();
  }

  /** Peak resident memory of each process while sampled, in MB. */
  stopSampling(): Map<string, number> {
    clearInterval(this.sampler);
    return new Map(this.peaks);
  }
}
