import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const PROBE = join(__dirname, 'tls-client-probe.ts');

/** The probe's JSON line (see tls-client-probe.ts). */
export interface ProbeOutcome {
  ok: boolean;
  name?: string;
  message?: string;
  code?: string;
  retryable?: boolean;
  [field: string]: unknown;
}

/**
 * Runs tls-client-probe.ts in a fresh Node process with the test's environment on top of this
 * one's; `NODE_EXTRA_CA_CERTS: undefined` removes that variable (a process that trusts only the
 * system's CAs). Kills it after `timeoutMs` milliseconds.
 */
export function runTlsClientProbe(
  mode: 'redis' | 'registry',
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<ProbeOutcome> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [PROBE, mode], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ProbeOutcome);
      } catch {
        reject(new Error(`the ${mode} probe ended (${code ?? signal}) without its JSON line; stdout: ${stdout}; stderr: ${stderr}`));
      }
    });
  });
}
