import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Socket } from 'node:net';

/** Outcome of one readiness probe: ready, or not yet with the reason. */
export type ProbeResult = { ready: true } | { ready: false; reason: string };

export const READY: ProbeResult = { ready: true };
export const notReady = (reason: string): ProbeResult => ({ ready: false, reason });

export interface WaitForReadyOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Pause between probes, in milliseconds. Default 500. */
  intervalMs?: number;
  /** Checked before each probe: an error returned here stops the wait at once (e.g. the process died). */
  abortIf?: () => Error | undefined;
  /** Builds the error thrown on timeout from the last probe's reason. */
  onTimeout: (lastReason: string | undefined) => Error;
}

const sleep = (ms: number): Promise<void> => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

/** Probes until ready, the abort check fires, or the timeout passes. */
export async function waitForReady(probe: () => Promise<ProbeResult>, options: WaitForReadyOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastReason: string | undefined;
  for (;;) {
    const abort = options.abortIf?.();
    if (abort) throw abort;
    const result = await probe();
    if (result.ready) return;
    lastReason = result.reason;
    if (Date.now() >= deadline) throw options.onTimeout(lastReason);
    await sleep(options.intervalMs ?? 500);
  }
}

/** True when something accepts TCP connections on host:port within `timeoutMs` milliseconds. */
export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = new Socket();
    const done = (open: boolean): void => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/** GET a URL; resolves with status and body, or with the network error as `error`. */
export async function httpGet(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).message };
  }
}

function readLastBytes(path: string, maxBytes: number, fromOffset: number): string | undefined {
  try {
    const size = statSync(path).size;
    const length = Math.max(0, Math.min(size - fromOffset, maxBytes));
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8');
  } catch {
    return undefined;
  }
}

/** Up to `maxBytes` of a file from byte `offset` on (where a process's own output starts); undefined when unreadable. */
export function readFileFrom(path: string, offset: number, maxBytes: number): string | undefined {
  try {
    const size = statSync(path).size;
    const length = Math.max(0, Math.min(size - offset, maxBytes));
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, offset);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8');
  } catch {
    return undefined;
  }
}

/** Lines that usually say why a JVM service died: error levels and exception causes. */
const TELLING_LINE = /\b(ERROR|FATAL|SEVERE)\b|Caused by:|Exception in thread|Error: /;

/**
 * The lines of a log (its last 64 KiB after `fromOffset`, the size it had when the process started)
 * that best say why a process died: its error and `Caused by:` lines when there are some (at most
 * `lines`), otherwise its last `lines` lines.
 */
export function tailFile(path: string, lines = 25, fromOffset = 0): string {
  const text = readLastBytes(path, 64 * 1024, fromOffset);
  if (text === undefined) return `    (no log at ${path})`;
  const all = text.split('\n').filter((line) => line.trim().length > 0);
  const telling = all.filter((line) => TELLING_LINE.test(line));
  const chosen = telling.length > 0 ? [...new Set(telling)].slice(-lines) : all.slice(-lines);
  return chosen.map((line) => `    ${line.trim()}`).join('\n');
}
