import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './process-table';

const sleep = (ms: number): Promise<void> => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

/**
 * Runs `action` while holding `<stackDir>/stack.lock`, so two `up`s at once (two terminals, two test
 * runs) do not both start a broker on the same ports. A lock whose holder died is taken over.
 * Waits at most `timeoutMs` milliseconds for another holder, then proceeds anyway (the per-part
 * checks still notice a part the other run started).
 */
export async function withStackLock<T>(
  stackDir: string,
  timeoutMs: number,
  log: (line: string) => void,
  action: () => Promise<T>,
): Promise<T> {
  mkdirSync(stackDir, { recursive: true });
  const lockFile = join(stackDir, 'stack.lock');
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  let held = false;
  while (!held) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held = true;
    } catch {
      const holder = Number.parseInt(readLock(lockFile), 10);
      if (!Number.isInteger(holder) || !isProcessAlive(holder)) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        log(`stack: ${lockFile} is still held by pid ${holder}; going on without it`);
        break;
      }
      if (!announced) log(`stack: waiting for pid ${holder}, which holds ${lockFile}`);
      announced = true;
      await sleep(500);
    }
  }
  try {
    return await action();
  } finally {
    if (held) rmSync(lockFile, { force: true });
  }
}

function readLock(lockFile: string): string {
  try {
    return readFileSync(lockFile, 'utf8').trim();
  } catch {
    return '';
  }
}
