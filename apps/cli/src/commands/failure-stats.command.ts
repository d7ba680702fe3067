import type { Command } from 'commander';
import { UsageError } from '../errors/usage-error';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { formatFailureStats } from '../failure-stats/failure-stats-report';
import { withStatsApi } from '../stats-api/stats-command-runner';
import type { CliCommand, CommandInvocation } from './cli-command';

interface FailureStatsOptions {
  batch?: string;
  exportCsv?: string;
  clearOld?: string;
}

/** `workpipe failure-stats`: outstanding failures by state and type, from the stats service. */
export const failureStatsCommand: CliCommand = {
  name: 'failure-stats',
  define(command: Command): void {
    command
      .description('failures waiting for a retry and abandoned: totals, oldest failure, counts by type')
      .option('--batch <id>', 'only this batch')
      .option('--export-csv <file>', 'also write every failure (item, key, batch, status, type, message, attempts, times, reason) as CSV')
      .option(
        '--clear-old <hours>',
        'first hide abandoned entries whose first failure is older than this from the stats view (never deletes from Kafka; replay still finds them)',
      )
      .addHelpText('after', '\nExit codes: 0 done, 2 usage error, 3 stats service unavailable, 4 API key missing or refused.');
  },
  async run({ options, globals, io }: CommandInvocation<FailureStatsOptions>): Promise<ExitCode> {
    let clearOldHours: number | undefined;
    if (options.clearOld !== undefined) {
      clearOldHours = Number(options.clearOld);
      if (!Number.isFinite(clearOldHours) || clearOldHours <= 0) {
        throw new UsageError(`--clear-old must be a positive number of hours, got "${options.clearOld}"`);
      }
    }
    return withStatsApi('failure-stats', globals, io, async (client) => {
      if (clearOldHours !== undefined) {
        const { hidden, cutoff } = await client.clearOld(clearOldHours);
        io.stdout.write(`Hid ${hidden} abandoned entr${hidden === 1 ? 'y' : 'ies'} whose first failure is before ${cutoff} (Kafka keeps them).\n\n`);
      }
      const scope = { batchId: options.batch };
      const [retryable, abandoned, oldest, types] = await Promise.all([
        client.failures({ ...scope, status: 'retryable', limit: '1' }),
        client.failures({ ...scope, status: 'abandoned', limit: '1' }),
        client.failures({ ...scope, limit: '1' }),
        client.failureTypes(options.batch),
      ]);
      const byType = Object.fromEntries(
        await Promise.all(types.map(async (type) => [type, (await client.failures({ ...scope, type, limit: '1' })).total] as const)),
      );
      io.stdout.write(
        formatFailureStats(
          { retryable: retryable.total, abandoned: abandoned.total, oldestFailureAt: oldest.items[0]?.firstFailureAt ?? null, byType },
          io.now(),
        ),
      );
      if (options.exportCsv) {
        const rows = await client.exportCsv(options.exportCsv, scope);
        io.stdout.write(`Report exported: ${options.exportCsv} (${rows} row${rows === 1 ? '' : 's'})\n`);
      }
      return EXIT_CODES.ok;
    });
  },
};
