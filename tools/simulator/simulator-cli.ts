import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { FailureProfileError } from './errors/failure-profile-error';
import { SimulatorOptionError } from './errors/simulator-option-error';
import { DEFAULT_PRESET_NAME, PRESET_NAMES } from './failure-profile-presets';
import { resolveFailureProfile } from './load-failure-profile';
import { writePortfolioFile } from './portfolio-file-writer';
import { DEFAULT_CLI_PORT, DEFAULT_HOST, DEFAULT_SEED, type SimulatorOptions } from './simulator-options';
import { startSimulator } from './start-simulator';

/** Exit code for invalid options, as the CLI conventions of `getopt` tools. */
export const EXIT_INVALID_OPTIONS = 2;

/** Exit code when the simulator cannot start (port in use, ...). */
export const EXIT_START_FAILED = 1;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The CLI's options once validated. */
export interface SimulatorCliOptions {
  /** TCP port. Default 4010 (`SIMULATOR_PORT`). */
  readonly port: number;
  /** Interface to bind. Default `127.0.0.1` (`SIMULATOR_HOST`). */
  readonly host: string;
  /** Seed of the fault dice. Default 42 (`SIMULATOR_SEED`). */
  readonly seed: number;
  /** Preset name, inline JSON or profile file path, already checked. Default `seed` (`SIMULATOR_PROFILE`). */
  readonly profile: string;
  /** The simulator's own limit in requests per second. Default off (`SIMULATOR_RATE_LIMIT_PER_SECOND`). */
  readonly rateLimitPerSecond: number | undefined;
  /** pino level. Default `info` (`SIMULATOR_LOG_LEVEL`). */
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** When set, write the portfolio list to this file (.csv or .jsonl) and exit instead of serving. */
  readonly writePortfolios: string | undefined;
}

/** A flag and the environment variable that stands in for it when the flag is absent. */
interface FlagSource {
  readonly flag: string;
  readonly envName: string;
}

const FLAGS = {
  port: { flag: '--port', envName: 'SIMULATOR_PORT' },
  host: { flag: '--host', envName: 'SIMULATOR_HOST' },
  seed: { flag: '--seed', envName: 'SIMULATOR_SEED' },
  profile: { flag: '--profile', envName: 'SIMULATOR_PROFILE' },
  rateLimit: { flag: '--rate-limit', envName: 'SIMULATOR_RATE_LIMIT_PER_SECOND' },
  logLevel: { flag: '--log-level', envName: 'SIMULATOR_LOG_LEVEL' },
} as const satisfies Record<string, FlagSource>;

function buildCommand(): Command {
  const env = (key: keyof typeof FLAGS): string => `(env: ${FLAGS[key].envName})`;
  return new Command('downstream-simulator')
    .description(
      'Simulated downstream API serving the synthetic profitability report (endpoint 1048) of 104 portfolios, with a seeded failure profile.',
    )
    .option('--port <port>', `TCP port, 0 = any free port (default ${DEFAULT_CLI_PORT}) ${env('port')}`)
    .option('--host <host>', `interface to bind (default ${DEFAULT_HOST}) ${env('host')}`)
    .option('--seed <seed>', `seed of the fault dice, integer >= 0 (default ${DEFAULT_SEED}) ${env('seed')}`)
    .option(
      '--profile <profile>',
      `preset (${PRESET_NAMES.join(', ')}), inline JSON or path to a JSON profile (default ${DEFAULT_PRESET_NAME}) ${env('profile')}`,
    )
    .option('--rate-limit <perSecond>', `own rate limit in requests per second (default off) ${env('rateLimit')}`)
    .option('--log-level <level>', `pino level: ${LOG_LEVELS.join(', ')} (default info) ${env('logLevel')}`)
    .option('--write-portfolios <file>', 'write the 104 portfolios to a .csv or .jsonl file and exit')
    .allowExcessArguments(false);
}

/** A raw option value with the name to blame if it is invalid. */
interface RawOption {
  readonly value: string | undefined;
  readonly label: string;
}

function pick(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv, key: keyof typeof FLAGS): RawOption {
  const { flag, envName } = FLAGS[key];
  if (flags[key] !== undefined) {
    return { value: flags[key], label: flag };
  }
  // An empty variable (`SIMULATOR_SEED=` in a compose file) counts as unset, not as "".
  const fromEnv = env[envName];
  return fromEnv === undefined || fromEnv === '' ? { value: undefined, label: flag } : { value: fromEnv, label: envName };
}

function parseInteger(option: RawOption, fallback: number, min: number, max: number): number {
  if (option.value === undefined) {
    return fallback;
  }
  const trimmed = option.value.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new SimulatorOptionError(
      `${option.label} must be an integer in ${min}..${max}, got ${JSON.stringify(option.value)}`,
      option.label,
    );
  }
  return value;
}

function isLogLevel(level: string): level is (typeof LOG_LEVELS)[number] {
  return (LOG_LEVELS as readonly string[]).includes(level);
}

/**
 * Parses and validates the CLI flags and their environment variables (a flag wins over
 * its variable). Throws {@link SimulatorOptionError} or {@link FailureProfileError};
 * `--help` throws a `CommanderError` with exit code 0.
 *
 * @param argv as `process.argv` (node, script, flags...)
 * @param env as `process.env`
 * @param writeOut where commander writes help; default stdout
 */
export function parseSimulatorCliOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  writeOut: (text: string) => void = (text) => process.stdout.write(text),
): SimulatorCliOptions {
  const command = buildCommand()
    .exitOverride()
    .configureOutput({ writeOut, writeErr: () => undefined });
  try {
    command.parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode !== 0) {
      throw new SimulatorOptionError(error.message.replace(/^error: /, ''), 'argv', { cause: error });
    }
    throw error;
  }
  const flags = command.opts<Record<string, string | undefined>>();
  const port = parseInteger(pick(flags, env, 'port'), DEFAULT_CLI_PORT, 0, 65_535);
  const seed = parseInteger(pick(flags, env, 'seed'), DEFAULT_SEED, 0, Number.MAX_SAFE_INTEGER);
  const rateLimit = pick(flags, env, 'rateLimit');
  const rateLimitPerSecond = rateLimit.value === undefined ? undefined : parseInteger(rateLimit, 0, 1, 1_000_000);
  const host = pick(flags, env, 'host');
  if (host.value !== undefined && host.value.trim().length === 0) {
    throw new SimulatorOptionError(`${host.label} must not be empty`, host.label);
  }
  const logLevel = pick(flags, env, 'logLevel');
  if (logLevel.value !== undefined && !isLogLevel(logLevel.value)) {
    throw new SimulatorOptionError(
      `${logLevel.label} must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel.value)}`,
      logLevel.label,
    );
  }
  const profile = pick(flags, env, 'profile').value ?? DEFAULT_PRESET_NAME;
  // Validate now, so a bad profile is an option error (exit 2), not a failure after start.
  resolveFailureProfile(profile);
  return {
    port,
    host: host.value ?? DEFAULT_HOST,
    seed,
    profile,
    rateLimitPerSecond,
    logLevel: logLevel.value ?? 'info',
    writePortfolios: flags.writePortfolios,
  };
}

/** Process-level hooks, injectable so the CLI can be driven in-process. */
export interface SimulatorCliIo {
  /** Where option errors go. Default stderr. */
  readonly writeErr?: (text: string) => void;
  /** Registers a shutdown signal handler. Default `process.once`. */
  readonly onSignal?: (signal: NodeJS.Signals, handler: () => void) => void;
}

/**
 * Runs the CLI: starts the simulator and resolves with the exit code once it has shut
 * down after SIGTERM or SIGINT (0), or at once on invalid options (2) or a failed start (1).
 */
export async function runSimulatorCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: SimulatorCliIo = {},
): Promise<number> {
  const writeErr = io.writeErr ?? ((text: string) => process.stderr.write(text));
  const onSignal = io.onSignal ?? ((signal: NodeJS.Signals, handler: () => void) => process.once(signal, handler));
  let options: SimulatorCliOptions;
  try {
    options = parseSimulatorCliOptions(argv, env);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode; // --help or --version: already printed.
    }
    if (error instanceof SimulatorOptionError || error instanceof FailureProfileError) {
      writeErr(`downstream-simulator: ${error.message}\nTry --help.\n`);
      return EXIT_INVALID_OPTIONS;
    }
    throw error;
  }
  const logger = pino({ name: 'downstream-simulator', level: options.logLevel });
  if (options.writePortfolios !== undefined) {
    const format = await writePortfolioFile(options.writePortfolios);
    logger.info({ path: options.writePortfolios, format }, 'portfolio file written');
    return 0;
  }
  const simulatorOptions: SimulatorOptions = {
    port: options.port,
    host: options.host,
    seed: options.seed,
    profile: options.profile,
    rateLimitPerSecond: options.rateLimitPerSecond,
    logger,
  };
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  try {
    simulator = await startSimulator(simulatorOptions);
  } catch (error) {
    logger.fatal({ err: error }, 'simulator failed to start');
    return EXIT_START_FAILED;
  }
  const stats = simulator.stats();
  logger.info(
    {
      url: simulator.url,
      seed: simulator.seed,
      profile: simulator.profile.name,
      alwaysFailing: stats.alwaysFailing,
      rateLimitPerSecond: options.rateLimitPerSecond ?? null,
    },
    'simulator listening',
  );
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        return;
      }
      stopping = true;
      logger.info({ signal, stats: simulator.stats() }, 'simulator stopping');
      simulator.close().then(
        () => {
          logger.info('simulator stopped');
          resolve(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'simulator did not close cleanly');
          resolve(1);
        },
      );
    };
    onSignal('SIGTERM', () => stop('SIGTERM'));
    onSignal('SIGINT', () => stop('SIGINT'));
  });
}
