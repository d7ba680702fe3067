import type { Command } from 'commander';
import { runReplayCommand } from '../replay/replay-command-runner';
import { OUTCOME_EXIT_CODES_HELP, REPLAY_ENVIRONMENT_HELP, REPLAY_EXIT_CODES_HELP } from '../replay/replay-help';
import { collectRepeated, parseRetryFailuresFlags, type RetryFailuresFlags } from '../replay/replay-options';
import { retryFailures } from '../replay/retry-failures';
import type { CliCommand, CommandInvocation } from './cli-command';

const HELP = `
Which items:
  Scans the whole abandoned topic and keeps the latest dead letter of each item,
  then drops: dead letters already replayed (by any replay), items that succeeded
  after they were abandoned, and what a replay cannot fix (reason NOT_RETRYABLE,
  or a last failure of type VALIDATION). --max keeps the N abandoned longest ago.
  Prints "Available: X, limited to: N", then replays them as one replay.

Examples:
  $ workpipe retry-failures --dry-run
  $ workpipe retry-failures --max 10 --wait
  $ workpipe retry-failures --type API_ERROR --rate 5 --wait --timeout 30m

${REPLAY_ENVIRONMENT_HELP}

Without --wait:
${REPLAY_EXIT_CODES_HELP.replace(/^/gm, '  ')}

With --wait:
${OUTCOME_EXIT_CODES_HELP.replace(/^/gm, '  ')}
`;

export const retryFailuresCommand: CliCommand = {
  name: 'retry-failures',

  define(command: Command): void {
    command
      .description('Replay every abandoned item still worth retrying (latest dead letter per item), optionally waiting for the outcome.')
      .option('--max <n>', 'replay at most n items, those abandoned longest ago first (default: all)')
      .option('--type <type>', "only items whose last failure is of this type, e.g. API_ERROR; repeatable", collectRepeated)
      .option('--rate <n>', 'at most n items per second, e.g. 20 or 20/s (default: unlimited)')
      .option('--dry-run', 'list what would be replayed; publish and record nothing')
      .option('--wait', 'wait for the outcome and print recovered / still failing')
      .option('--timeout <duration>', 'longest wait with --wait, e.g. 90s, 10m (default: 10m)')
      .option('--replay-id <id>', 'id of the replay (default: generated, printed)')
      .addHelpText('after', HELP);
  },

  async run({ options, globals, io }: CommandInvocation) {
    const request = parseRetryFailuresFlags(options as RetryFailuresFlags, io.now(), io.random);
    return runReplayCommand('retry-failures', globals, io, (client) => retryFailures(client, io, request));
  },
};
