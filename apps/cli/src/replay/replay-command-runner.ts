import type { CliIo } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import type { GlobalOptions } from '../global-options';
import type { StatsApiClient } from '../stats-api/stats-api-client';
import { withStatsApi } from '../stats-api/stats-command-runner';
import { ReplayInterruptedError } from './errors/replay-interrupted-error';

/**
 * Runs a replay command against the stats service (see `withStatsApi` for the
 * exit codes), and says how to resume a run that Kafka, Redis or the registry
 * interrupted behind it (exit 3).
 */
export function runReplayCommand(command: string, globals: GlobalOptions, io: CliIo, body: (client: StatsApiClient) => Promise<ExitCode>): Promise<ExitCode> {
  return withStatsApi(command, globals, io, async (client) => {
    try {
      return await body(client);
    } catch (error) {
      if (!(error instanceof ReplayInterruptedError)) throw error;
      io.stderr.write(
        `workpipe ${command}: ${error.message}\n` +
          `Replay ${error.replayId} stopped after republishing ${error.republished} in this run and is recorded as interrupted; ` +
          `nothing is republished twice: resume it with: workpipe replay --continue ${error.replayId}\n`,
      );
      return EXIT_CODES.stopped;
    }
  });
}
