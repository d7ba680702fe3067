import { setTimeout as sleep } from 'node:timers/promises';
import { BatchSender } from '../../apps/cli/src/submit/batch-sender';
import type { ItemCandidate } from '../../apps/cli/src/submit/item-candidate';
import type { RandomSource } from '../simulator/seeded-random';

/** One answer the client could not use (retried): a 503 while Kafka is away, or anything else that would be a finding. */
export interface UnavailableAnswer {
  /** Epoch milliseconds, when the client decided to retry. */
  at: number;
  /** The HTTP status, or null for a network failure (refused, timed out). */
  status: number | null;
  reason: string;
}

export interface PacedSubmitterOptions {
  ingestorUrl: string;
  /** Every request carries it, so `GET /v1/batches/:id` covers the run. */
  batchId: string;
  /** The items, in the order they are sent. */
  items: readonly ItemCandidate[];
  /** Items per `POST /v1/batches` request (at most 1000). */
  requestSize: number;
  /** The requests are spread evenly over this long, in milliseconds; a late request goes at once. */
  durationMs: number;
  /** Jitter of the backoff between retries, uniform in [0, 1). */
  random: RandomSource;
}

/**
 * A client as a real one behaves: the items in requests of `requestSize`, paced over `durationMs`,
 * through the CLI's own {@link BatchSender} (which retries 503s, other transient 5xx and network
 * failures with backoff, honouring Retry-After). It records what the ingestor accepted and every
 * answer it had to retry.
 */
export class PacedSubmitter {
  readonly accepted = new Set<string>();
  readonly uncertain = new Set<string>();
  readonly unavailable: UnavailableAnswer[] = [];
  /** Epoch milliseconds of every accepted request's answer. */
  readonly acceptedAt: number[] = [];
  private readonly sender: BatchSender;
  private finished = false;

  constructor(private readonly options: PacedSubmitterOptions) {
    this.sender = new BatchSender({
      ingestorUrl: options.ingestorUrl,
      requestTimeoutMs: 60_000,
      // Patient enough for a broker restart (seconds), never for a pipeline that stays broken.
      retry: { maxAttempts: 40, baseDelayMs: 500, maxDelayMs: 4_000, maxRetryAfterMs: 5_000, jitter: 0.2 },
      fetch,
      sleep: (ms) => sleep(ms),
      now: Date.now,
      random: options.random,
    });
  }

  /** True once every request was answered. */
  get done(): boolean {
    return this.finished;
  }

  /** Sends every request; rejects when one cannot be sent at all (retries exhausted, a refused request). */
  async run(): Promise<void> {
    const { items, requestSize, durationMs, batchId } = this.options;
    const requests = Math.ceil(items.length / requestSize);
    const started = Date.now();
    try {
      for (let n = 0; n < requests; n += 1) {
        const due = started + (durationMs * n) / requests;
        if (due > Date.now()) await sleep(due - Date.now());
        const chunk = items.slice(n * requestSize, (n + 1) * requestSize);
        const result = await this.sender.send(batchId, chunk, (notice) => {
          const status = /^(\d{3})\b/.exec(notice.reason);
          this.unavailable.push({ at: Date.now(), status: status ? Number(status[1]) : null, reason: notice.reason });
        });
        if (result.rejected.length > 0) throw new Error(`the ingestor refused ${result.rejected.length} items: ${result.rejected[0]?.reason}`);
        for (const { itemId } of result.accepted) this.accepted.add(itemId);
        for (const duplicate of result.duplicates) {
          // Our own earlier attempt of this request: committed (ALREADY_ACCEPTED), or its fate unknown yet (IN_FLIGHT).
          if (duplicate.reason === 'ALREADY_ACCEPTED') this.accepted.add(duplicate.itemId);
          else this.uncertain.add(duplicate.itemId);
        }
        this.acceptedAt.push(Date.now());
      }
    } finally {
      this.finished = true;
    }
  }
}
