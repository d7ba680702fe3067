import type { Command } from 'commander';
import { runReplayCommand } from '../replay/replay-command-runner';
import { OUTCOME_EXIT_CODES_HELP, REPLAY_ENVIRONMENT_HELP } from '../replay/replay-help';
import { parseReplayStatusArgs, type ReplayStatusFlags } from '../replay/replay-options';
import { showReplayStatus } from '../replay/replay-status';
import type { CliCommand, CommandInvocation } from './cli-command';

const HELP = `
Asks the stats service for the replay's record and the outcome of each item it
republished, which the service reads from the succeeded and abandoned topics
(the events carrying the replay id):
  Recovered       a WorkSucceeded carries the replay id
  Still failing   a new WorkAbandoned carries it (its item failed again until abandoned)
  Pending         neither yet (being processed or waiting for a retry)

Examples:
  $ workpipe replay-status rp-20250314-091502-4f9c2a
  $ workpipe replay-status rp-20250314-091502-4f9c2a --wait --timeout 30m

${REPLAY_ENVIRONMENT_HELP}

${OUTCOME_EXIT_CODES_HELP}
`;

export const replayStatusCommand: CliCommand = {
  name: 'replay-status',

  define(command: Command): void {
    command
      .description('Show what became of a replay: recovered, still failing, pending.')
      .argument('<replayId>', 'the replay id printed by replay or retry-failures')
      .option('--wait', 'poll until nothing is pending (or --timeout)')
      .option('--timeout <duration>', 'longest wait with --wait, e.g. 90s, 10m, 1h (default: 10m)')
      .addHelpText('after', HELP);
  },

  async run({ args, options, globals, io }: CommandInvocation) {
    const request = parseReplayStatusArgs(args[0] as string, options as ReplayStatusFlags);
    return runReplayCommand('replay-status', globals, io, (client) => showReplayStatus(client, io, request));
  },
};
