import type { Command } from 'commander';
import { ABANDON_REASONS } from '@workpipe/contracts';
import { replay } from '../replay/replay';
import { REPLAY_ENVIRONMENT_HELP, REPLAY_EXIT_CODES_HELP } from '../replay/replay-help';
import { runReplayCommand } from '../replay/replay-command-runner';
import { collectRepeated, parseReplayFlags, type ReplayFlags } from '../replay/replay-options';
import type { CliCommand, CommandInvocation } from './cli-command';

const HELP = `
Selection:
  A range of the abandoned (dead-letter) topic, both ends included; without
  --partition every partition, without --from-offset/--to-offset from the first
  to the last offset present now. --since/--until (ISO time, a date, or 2h for
  "two hours ago") narrow it with the brokers' time index and keep dead letters
  whose abandonedAt is in the window. --type (the last failure's type) and
  --reason filter further; both may repeat or take a comma list.

What a replay does:
  Republishes each selected dead letter's item to the work topic as a fresh
  attempt: attempt 1, its whole failure history kept, "replay" set to the replay
  id and the dead letter's topic/partition/offset, same itemId, batchId and
  correlationId. Each dead letter is republished once, whatever replay selects
  it: the same command run twice reports the second time "already replayed".
  The replay runs in the stats service and is recorded there (30 days, and for
  good on its replays topic): read it back with replay-status.

Examples:
  $ workpipe replay --partition 2 --from-offset 140 --to-offset 180 --dry-run
  $ workpipe replay --since 2h --type API_ERROR --type TIMEOUT --rate 20
  $ workpipe replay --since 2025-03-14T00:00:00Z --reason MAX_ATTEMPTS --trial 5
  $ workpipe replay-status rp-20250314-091502-4f9c2a --wait
  $ workpipe replay --continue rp-20250314-091502-4f9c2a

${REPLAY_ENVIRONMENT_HELP}

${REPLAY_EXIT_CODES_HELP}
`;

export const replayCommand: CliCommand = {
  name: 'replay',

  define(command: Command): void {
    command
      .description('Replay dead letters of the abandoned topic (an offset range, a time window, failure types) as fresh attempts.')
      .option('--topic <topic>', 'dead-letter topic to read (default: the abandoned topic under TOPIC_PREFIX)')
      .option('--partition <p>', 'partition to read; repeatable or a comma list (default: all)', collectRepeated)
      .option('--from-offset <a>', 'first offset to read, included (default: the first present)')
      .option('--to-offset <b>', 'last offset to read, included (default: the last present now)')
      .option('--since <time>', 'abandoned at or after: ISO time with a zone, a date, or a duration back (2h, 30m, 1d)')
      .option('--until <time>', 'abandoned at or before: same forms as --since')
      .option('--type <type>', "only dead letters whose last failure is of this type, e.g. API_ERROR; repeatable", collectRepeated)
      .option('--reason <reason>', `only dead letters abandoned for this reason (${ABANDON_REASONS.join(', ')}); repeatable`, collectRepeated)
      .option('--dry-run', 'list what would be replayed (offset, item, key, last failure, reason, attempts); publish and record nothing')
      .option('--rate <n>', 'at most n items per second, e.g. 20 or 20/s (default: unlimited)')
      .option('--trial <n>', 'replay only the first n selected, then print how to continue')
      .option('--continue <replayId>', 'continue a trial or interrupted replay with its stored selection')
      .option('--replay-id <id>', 'id of the new replay (default: generated, rp-YYYYMMDD-HHMMSS-xxxxxx, printed)')
      .addHelpText('after', HELP);
  },

  async run({ options, globals, io }: CommandInvocation) {
    const request = parseReplayFlags(options as ReplayFlags, io.now(), io.random);
    return runReplayCommand('replay', globals, io, (client) => replay(client, io, request));
  },
};
