import type { Command } from 'commander';
import { UsageError } from './errors/usage-error';

/** Where the ingestor listens when neither `--ingestor-url` nor `INGESTOR_URL` says: the local default. */
export const DEFAULT_INGESTOR_URL = 'http://127.0.0.1:3000';

/** Options every command takes, placed before or after the command name. */
export interface GlobalOptions {
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
    .option(
      '--api-key <key>',
      'API key sent as x-api-key, needed when the ingestor has API_KEYS set (default: env API_KEY; ' +
        'prefer the variable, a flag shows in the process list). Never printed.',
    );
}

/** Resolves the flags against the environment (a flag wins) and validates them. */
export function resolveGlobalOptions(
  flags: { ingestorUrl?: string; apiKey?: string },
  env: Readonly<Record<string, string | undefined>>,
): GlobalOptions {
  const fromEnv = (name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined);
  const source = flags.ingestorUrl !== undefined ? '--ingestor-url' : 'INGESTOR_URL';
  const url = flags.ingestorUrl ?? fromEnv('INGESTOR_URL') ?? DEFAULT_INGESTOR_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${source} must be an http(s) URL such as ${DEFAULT_INGESTOR_URL}, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${source} must be an http(s) URL such as ${DEFAULT_INGESTOR_URL}, got "${url}"`);
  }
  const apiKey = flags.apiKey ?? fromEnv('API_KEY');
  if (flags.apiKey !== undefined && flags.apiKey.trim() === '') throw new UsageError('--api-key must not be empty');
  return { ingestorUrl: url.replace(/\/+$/, ''), ...(apiKey === undefined ? {} : { apiKey }) };
}
