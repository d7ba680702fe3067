import type { CliIo } from '../cli-io';
import { UsageError } from '../errors/usage-error';
import type { ExitCode } from '../exit-codes';
import { ReplayNotFoundError } from './errors/replay-not-found-error';
import { resolveRanges, unknownPartitions } from './offset-range';
import type { ReplayClients } from './replay-clients';
import type { ReplayRequest } from './replay-options';
import { CLOCK_SKEW_MARGIN_MS } from './replay-outcome-tracker';
import { ReplayRecordStore } from './replay-record-store';
import { runReplay } from './replay-runner';
import { storedSelection } from './replay-selection';
import { offsetsAtTime, topicWatermarks } from './topic-range-reader';

const HINT = 'workpipe replay --help';

/**
 * `workpipe replay`: resolves a new selection to exact offset ranges (the
 * topic's partitions and watermarks now, `--since/--until` through the brokers'
 * time index, widened by a clock-skew margin and then filtered exactly on
 * `abandonedAt`) or loads the stored one of `--continue`, then runs it.
 */
export async function replay(clients: ReplayClients, io: CliIo, request: ReplayRequest): Promise<ExitCode> {
  const records = new ReplayRecordStore(clients.redis, clients.config.redis.keyPrefix);
  if (request.kind === 'continue') {
    const record = await records.get(request.replayId);
    if (!record) throw new ReplayNotFoundError(request.replayId);
    io.stderr.write(
      `Continuing replay ${record.replayId} (${record.state}, ${record.counts.republished} republished so far, created ${record.createdAt})\n`,
    );
    return (await runReplay(clients, io, { replayId: record.replayId, selection: record.selection, existing: record, pacing: request })).exitCode;
  }

  const topic = request.topic ?? clients.topics.abandoned;
  const watermarks = await topicWatermarks(clients.admin, topic);
  if (!watermarks) throw new UsageError(`there is no topic ${topic}${request.topic ? '' : ': is TOPIC_PREFIX right, and has the retrier run?'}`, HINT);
  const unknown = unknownPartitions(request, watermarks);
  if (unknown.length > 0) {
    throw new UsageError(
      `${topic} has partitions 0 to ${watermarks.length - 1}; there is no partition ${unknown.join(', ')}`,
      HINT,
    );
  }
  const { sinceMs, untilMs } = request.filter;
  const ranges = resolveRanges(
    {
      ...(request.partitions === undefined ? {} : { partitions: request.partitions }),
      ...(request.fromOffset === undefined ? {} : { fromOffset: request.fromOffset }),
      ...(request.toOffset === undefined ? {} : { toOffset: request.toOffset }),
      ...(sinceMs === undefined ? {} : { sinceOffsets: await offsetsAtTime(clients.admin, topic, sinceMs - CLOCK_SKEW_MARGIN_MS) }),
      ...(untilMs === undefined ? {} : { untilOffsets: await offsetsAtTime(clients.admin, topic, untilMs + CLOCK_SKEW_MARGIN_MS + 1) }),
    },
    watermarks,
  );
  if (!request.dryRun) {
    if (await records.get(request.replayId)) {
      throw new UsageError(`a replay "${request.replayId}" exists already; continue it with --continue ${request.replayId}, or choose another --replay-id`, HINT);
    }
    io.stderr.write(`Replay id: ${request.replayId}${request.replayIdGenerated ? ' (generated)' : ''}\n`);
  }
  const selection = storedSelection({ origin: 'replay', topic, ranges, filter: request.filter, asked: request.asked });
  return (await runReplay(clients, io, { replayId: request.replayId, selection, pacing: request })).exitCode;
}
