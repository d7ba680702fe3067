import type { Command } from 'commander';
import { UsageError } from './errors/usage-error';

/** Where the ingestor listens when neither `--ingestor-url` nor `INGESTOR_URL` says: the local default. */
export const DEFAULT_INGESTOR_URL = 'http://127.0.0.1:3000';

/** Where the stats service listens by default. */
export const DEFAULT_STATS_URL = 'http://127.0.0.1:3003';

/** Options every command takes, placed before or after the command name. */
export interface GlobalOptions {
  /** Base URL of the stats service, without a trailing slash. `--stats-url`, else `STATS_URL`, else {@link DEFAULT_STATS_URL}. */
  statsUrl: string;
  /** Base URL of the ingestor, without a trailing slash. `--ingestor-url`, else `INGESTOR_URL`, else {@link DEFAULT_INGESTOR_URL}. */
  ingestorUrl: string;
  /** Sent as `x-api-key`. `--api-key`, else `API_KEY`, else none. Never printed or logged. */
  apiKey?: string;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option(
      '--ingestor-url <url>',
      `base URL of the ingestor (default: env INGESTOR_URL, else ${DEFAULT_INGESTOR_URL})`,
    )
    .option('--stats-url <url>', `base URL of the stats service (default: env STATS_URL, else ${DEFAULT_STATS_URL})`)
    .option(
      '--api-key <key>',
      'API key sent as x-api-key, needed when the ingestor or the stats service has API_KEYS set (default: env API_KEY; ' +
        'prefer the variable, a flag shows in the process list). Never printed.',
    );
}

/** Resolves the flags against the environment (a flag wins) and validates them. */
export function resolveGlobalOptions(
  flags: { ingestorUrl?: string; statsUrl?: string; apiKey?: string },
  env: Readonly<Record<string, string | undefined>>,
): GlobalOptions {
  const fromEnv = (name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined);
  const ingestorUrl = httpUrl(flags.ingestorUrl, '--ingestor-url', fromEnv('INGESTOR_URL'), 'INGESTOR_URL', DEFAULT_INGESTOR_URL);
  const statsUrl = httpUrl(flags.statsUrl, '--stats-url', fromEnv('STATS_URL'), 'STATS_URL', DEFAULT_STATS_URL);
  const apiKey = flags.apiKey ?? fromEnv('API_KEY');
  if (flags.apiKey !== undefined && flags.apiKey.trim() === '') throw new UsageError('--api-key must not be empty');
  return { ingestorUrl, statsUrl, ...(apiKey === undefined ? {} : { apiKey }) };
}

/** The flag, else the variable, else the default; must be http(s). Returned without a trailing slash. */
function httpUrl(flag: string | undefined, flagName: string, fromEnv: string | undefined, envName: string, fallback: string): string {
  const source = flag !== undefined ? flagName : envName;
  const url = flag ?? fromEnv ?? fallback;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UsageError(`${source} must be an http(s) URL such as ${fallback}, got "${url}"`);
  }
  return url.replace(/\/+$/, '');
}
