import { ItemSubmissionSchema, type SubmissionResult } from '@workpipe/contracts';
import type { RecordedRequest } from './scripted-fetch';

/**
 * The ingestor's batch endpoint in miniature, for CLI specs: validates each item
 * with the real contract, de-duplicates by item id (or type + key + payload)
 * across requests, and answers 202 / 400 / 409 as the real one does.
 */
export function fakeIngestor(): ((request: RecordedRequest) => { status: number; body: SubmissionResult }) & {
  acceptedIds: string[];
} {
  const acceptedIds: string[] = [];
  const answer = (request: RecordedRequest) => {
    const result: SubmissionResult = {
      batchId: request.body.batchId,
      correlationId: 'corr',
      accepted: [],
      rejected: [],
      duplicates: [],
      counts: { accepted: 0, rejected: 0, duplicates: 0 },
    };
    const inRequest = new Set<string>();
    request.body.items.forEach((raw, index) => {
      const parsed = ItemSubmissionSchema.safeParse(raw);
      if (!parsed.success) {
        result.rejected.push({ index, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        return;
      }
      const { itemId: given, type, key, payload } = parsed.data;
      const itemId = given ?? `${type}:${key}:${JSON.stringify(payload)}`;
      if (inRequest.has(itemId)) result.duplicates.push({ index, itemId, reason: 'DUPLICATE_IN_REQUEST' });
      else if (acceptedIds.includes(itemId)) result.duplicates.push({ index, itemId, reason: 'ALREADY_ACCEPTED' });
      else result.accepted.push({ index, itemId });
      inRequest.add(itemId);
    });
    acceptedIds.push(...result.accepted.map((accepted) => accepted.itemId));
    result.counts = { accepted: result.accepted.length, rejected: result.rejected.length, duplicates: result.duplicates.length };
    const status = result.counts.accepted > 0 ? 202 : result.counts.rejected > 0 ? 400 : 409;
    return { status, body: result };
  };
  return Object.assign(answer, { acceptedIds });
}
