import type { AbandonReason, WorkAbandoned } from '@workpipe/contracts';
import type { DeadLetter } from '../selection/dead-letter';

export const ABANDONED_TOPIC = 'wp.work.abandoned';

/** A dead letter of `itemId` at `partition:offset`, failed `attempts` times with `type`; every field overridable. */
export function deadLetter(
  itemId: string,
  at: { partition?: number; offset: number | string },
  options: {
    type?: string;
    reason?: AbandonReason;
    attempts?: number;
    abandonedAt?: string;
    replayId?: string;
    deferrals?: number;
  } = {},
): DeadLetter {
  const type = options.type ?? 'API_ERROR';
  const attempts = options.attempts ?? 5;
  const failure = { type, message: `${type} from the downstream`, retryable: type !== 'VALIDATION' };
  const history = Array.from({ length: attempts }, (_, index) => ({
    attempt: index + 1,
    failure,
    failedAt: new Date(Date.parse('2025-03-14T09:00:00Z') + index * 60_000).toISOString(),
    source: { topic: 'wp.work', partition: at.partition ?? 0, offset: String(100 + index) },
    durationMs: 12,
  }));
  const value: WorkAbandoned.Value = {
    item: {
      itemId,
      key: itemId.split('-').slice(0, 2).join('-'),
      type: 'portfolio-report',
      batchId: 'nightly-1',
      payload: { portfolioId: itemId },
      attempt: attempts,
      createdAt: '2025-03-14T08:59:00.000Z',
      correlationId: `corr-${itemId}`,
      history,
      ...(options.deferrals === undefined ? {} : { deferrals: options.deferrals }),
      ...(options.replayId === undefined
        ? {}
        : { replay: { replayId: options.replayId, replayedAt: '2025-03-14T08:30:00.000Z', source: { topic: ABANDONED_TOPIC, partition: 0, offset: '1' } } }),
    },
    reason: options.reason ?? 'MAX_ATTEMPTS',
    detail: `${type} allows ${attempts} attempts`,
    lastFailure: failure,
    abandonedAt: options.abandonedAt ?? '2025-03-14T09:10:00.000Z',
  };
  return { position: { topic: ABANDONED_TOPIC, partition: at.partition ?? 0, offset: String(at.offset) }, value };
}
