import { execFileSync } from 'node:child_process';

/** True when a Docker engine answers (not merely a docker CLI without a daemon). */
export function dockerEngineAvailable(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
