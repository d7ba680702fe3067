import type { CliIo } from '../cli-io';
import { ApiKeyRejectedError } from '../errors/api-key-rejected-error';
import { StatsAnswerError } from '../errors/stats-answer-error';
import { StatsUnavailableError } from '../errors/stats-unavailable-error';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import type { GlobalOptions } from '../global-options';
import { StatsApiClient } from './stats-api-client';

/**
 * Runs a command against the stats service and turns what went wrong into a
 * line on stderr and an exit code: 3 when the service did not answer (or
 * answered 5xx: re-running is safe), 4 when it refused the API key, 2 when it
 * refused the request (bad selection, unknown or busy replay). Usage errors
 * go on to `runCli` (exit 2); anything else is a bug and is rethrown.
 */
export async function withStatsApi(
  command: string,
  globals: GlobalOptions,
  io: CliIo,
  body: (client: StatsApiClient) => Promise<ExitCode>,
): Promise<ExitCode> {
  try {
    return await body(new StatsApiClient(globals.statsUrl, io.fetch, globals.apiKey));
  } catch (error) {
    if (error instanceof StatsUnavailableError) {
      io.stderr.write(`workpipe ${command}: ${error.message}\nRe-running the command is safe.\n`);
      return EXIT_CODES.stopped;
    }
    if (error instanceof ApiKeyRejectedError) {
      const hint = error.keyGiven ? 'the key given is not one of API_KEYS or lacks the role' : 'give one with --api-key or API_KEY';
      io.stderr.write(`workpipe ${command}: the stats service refused the request: ${error.message} (${hint})\n`);
      return EXIT_CODES.unauthorized;
    }
    if (error instanceof StatsAnswerError) {
      io.stderr.write(`workpipe ${command}: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    throw error;
  }
}
