import type { CliIo } from '../cli-io';
import { UsageError } from '../errors/usage-error';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { positionKey } from './dead-letter';
import { readDeadLetters, rangeReader } from './dead-letter-reader';
import { NO_FILTER } from './dead-letter-filter';
import { describeRanges, resolveRanges } from './offset-range';
import type { ReplayClients } from './replay-clients';
import { ReplayLedger } from './replay-ledger';
import { lastSuccesses } from './replay-outcome-tracker';
import type { RetryFailuresRequest } from './replay-options';
import { formatDryRun, formatOutcomeLines, formatRetryCandidates, verdict } from './replay-report';
import { runReplay } from './replay-runner';
import { positionKeys, rangesCovering, storedSelection } from './replay-selection';
import { outcomeExitCode, readReplayOutcome } from './replay-status';
import { chooseRetryCandidates, preselectRetryCandidates, type RetryDrops } from './retry-candidates';
import { topicWatermarks } from './topic-range-reader';

/**
 * `workpipe retry-failures`: replays, as one replay, every abandoned item still
 * worth retrying. Scans the whole abandoned topic, keeps the latest dead letter
 * of each item, and drops those replayed already, those whose item succeeded
 * since, and those a replay cannot fix (NOT_RETRYABLE, VALIDATION); `--max`
 * keeps the oldest N. With `--wait`, waits for the outcome and exits 0 only
 * when every replayed item recovered.
 */
export async function retryFailures(clients: ReplayClients, io: CliIo, request: RetryFailuresRequest): Promise<ExitCode> {
  const topic = clients.topics.abandoned;
  const watermarks = await topicWatermarks(clients.admin, topic);
  if (!watermarks) {
    throw new UsageError(`there is no topic ${topic}: is TOPIC_PREFIX right, and has the retrier run?`, 'workpipe retry-failures --help');
  }
  const ranges = resolveRanges({}, watermarks);
  const reader = rangeReader(clients, io.random);
  io.stderr.write(`Scanning ${topic} (${describeRanges(ranges)}) ...\n`);
  const read = await readDeadLetters(reader, clients.serde, topic, ranges);

  const first = preselectRetryCandidates(read.deadLetters, request.types);
  const replayed = await new ReplayLedger(clients.redis, clients.config.redis.keyPrefix).replayed(positionKeys(first.candidates));
  const notReplayed = first.candidates.filter((deadLetter) => !replayed.has(positionKey(deadLetter.position)));
  const earliest = Math.min(...notReplayed.map((deadLetter) => Date.parse(deadLetter.value.abandonedAt)));
  const successes = await lastSuccesses(clients, reader, new Set(notReplayed.map((d) => d.value.item.itemId)), earliest);
  const second = chooseRetryCandidates(first.candidates, replayed, successes, request.max);
  const drops: RetryDrops = { ...first.drops, ...second.drops };
  const items = new Set(read.deadLetters.map((deadLetter) => deadLetter.value.item.itemId)).size;

  io.stdout.write(
    formatRetryCandidates({
      topic,
      read: read.deadLetters.length + read.undecodable.length,
      items,
      undecodable: read.undecodable.length,
      drops,
      available: second.available.length,
      ...(request.max === undefined ? {} : { max: request.max }),
    }),
  );
  const chosen = second.chosen;
  if (chosen.length === 0) {
    io.stdout.write('Nothing to retry.\n');
    return EXIT_CODES.ok;
  }
  const counts = {
    read: read.deadLetters.length + read.undecodable.length,
    skippedByFilter: read.deadLetters.length - chosen.length,
    superseded: 0,
    undecodable: read.undecodable.length,
  };
  if (request.dryRun) {
    io.stdout.write(
      formatDryRun({ selectionText: `${topic}, chosen by retry-failures`, wouldReplay: chosen, alreadyReplayed: [], counts, origin: 'retry-failures' }),
    );
    return EXIT_CODES.ok;
  }

  const asked = [
    ...(request.max === undefined ? [] : [`--max ${request.max}`]),
    ...request.types.map((type) => `--type ${type}`),
  ].join(' ');
  io.stdout.write(`Replaying ${chosen.length} as ${request.replayId}${request.replayIdGenerated ? ' (generated id)' : ''}\n`);
  const { exitCode } = await runReplay(clients, io, {
    replayId: request.replayId,
    selection: storedSelection({
      origin: 'retry-failures',
      topic,
      ranges: rangesCovering(chosen),
      filter: { ...NO_FILTER, types: request.types },
      only: positionKeys(chosen),
      asked: `retry-failures${asked ? ` ${asked}` : ''}`,
    }),
    pacing: { dryRun: false, ...(request.ratePerSecond === undefined ? {} : { ratePerSecond: request.ratePerSecond }) },
    preselected: { selected: chosen, counts, undecodable: read.undecodable },
  });
  if (!request.wait) return exitCode;

  io.stderr.write(`Waiting up to ${Math.round(request.timeoutMs / 1000)} s for the outcome of ${request.replayId} ...\n`);
  const { outcome, timedOut } = await readReplayOutcome(clients, io, { replayId: request.replayId, wait: true, timeoutMs: request.timeoutMs });
  const lines = ['', ...formatOutcomeLines(outcome)];
  if (timedOut && outcome.pending > 0) lines.push(`Stopped waiting with ${outcome.pending} still pending: workpipe replay-status ${request.replayId} --wait`);
  lines.push(verdict(outcome));
  io.stdout.write(`${lines.join('\n')}\n`);
  return outcomeExitCode(outcome);
}
