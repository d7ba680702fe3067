import type { Command } from 'commander';
import { UsageError } from '../errors/usage-error';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { withStatsApi } from '../stats-api/stats-command-runner';
import { watchBatch } from '../watch/batch-watcher';
import { ProgressDisplay } from '../watch/progress-display';
import type { CliCommand, CommandInvocation } from './cli-command';

interface WatchOptions {
  expected?: string;
}

/** `workpipe watch BATCH`: a live progress bar of one batch, fed by the stats service's event stream. */
export const watchCommand: CliCommand = {
  name: 'watch',
  define(command: Command): void {
    command
      .description('follow a batch live: progress bar with rate and ETA, until every item succeeded or was abandoned')
      .argument('<batchId>', 'the batch id given or generated at submission')
      .option('--expected <n>', 'items the batch has, so the watch waits until all are known (default: as the stats service sees them)')
      .addHelpText('after', '\nExit codes: 0 every item succeeded, 1 some were abandoned, 2 usage error, 3 stats service unavailable, 4 API key missing or refused.');
  },
  async run({ args, options, globals, io }: CommandInvocation<WatchOptions>): Promise<ExitCode> {
    const batchId = args[0] as string;
    let expected: number | undefined;
    if (options.expected !== undefined) {
      expected = Number(options.expected);
      if (!Number.isInteger(expected) || expected < 1) throw new UsageError(`--expected must be a positive integer, got "${options.expected}"`);
    }
    io.stderr.write(`Watching batch ${batchId} at ${globals.statsUrl} (Ctrl-C to stop)\n`);
    return withStatsApi('watch', globals, io, async () => {
      const display = new ProgressDisplay(io.stderr, io.now);
      const final = await watchBatch({
        statsUrl: globals.statsUrl,
        batchId,
        expected,
        ...(globals.apiKey === undefined ? {} : { apiKey: globals.apiKey }),
        fetch: io.fetch,
        onProgress: (progress) => display.update(progress),
        onDisconnect: (message) => io.stderr.write(`stats stream: ${message}\n`),
      }).finally(() => display.stop());
      const { succeeded, abandoned, submitted } = final.items;
      const rate = final.rates.success === null ? '-' : `${(final.rates.success * 100).toFixed(1)}%`;
      io.stdout.write(`Batch ${batchId}: ${submitted} items, ${succeeded} succeeded, ${abandoned} abandoned (success rate ${rate})\n`);
      return abandoned > 0 ? EXIT_CODES.rejected : EXIT_CODES.ok;
    });
  },
};
