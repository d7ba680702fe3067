import type { AttemptRecord, Failure, WorkAbandoned, WorkFailed, WorkItem, WorkSucceeded } from '@workpipe/contracts';
import { factFromAbandoned, factFromFailed, factFromSucceeded, factFromWorkItem } from '../item/event-facts';
import type { ItemFact } from '../item/item-fact';

/** An event as the pipeline would have put it on a topic, with its Kafka timestamp. */
export type StoryEvent =
  | { topic: 'work'; value: WorkItem.Value; timestampMs: number }
  | { topic: 'failed'; value: WorkFailed.Value; timestampMs: number }
  | { topic: 'succeeded'; value: WorkSucceeded.Value; timestampMs: number }
  | { topic: 'abandoned'; value: WorkAbandoned.Value; timestampMs: number };

export function factOfStoryEvent(event: StoryEvent): ItemFact {
  switch (event.topic) {
    case 'work':
      return factFromWorkItem(event.value, event.timestampMs);
    case 'failed':
      return factFromFailed(event.value);
    case 'succeeded':
      return factFromSucceeded(event.value);
    case 'abandoned':
      return factFromAbandoned(event.value);
  }
}

export interface ItemStoryOptions {
  itemId: string;
  key?: string;
  batchId?: string;
  type?: string;
  /** When the item was accepted, epoch ms. */
  createdAtMs: number;
}

/**
 * Writes the events one item goes through, as the ingestor, processor and
 * retrier emit them: for tests that feed the stats topics directly.
 */
export class ItemStory {
  readonly events: StoryEvent[] = [];
  private item: WorkItem.Value;
  private sourceOffset = 0;
  private lastFailed?: WorkFailed.Value;

  constructor(options: ItemStoryOptions) {
    this.item = {
      itemId: options.itemId,
      key: options.key ?? options.itemId.split('-')[0] ?? options.itemId,
      type: options.type ?? 'portfolio-report',
      ...(options.batchId ? { batchId: options.batchId } : {}),
      payload: { portfolioId: options.key ?? options.itemId },
      attempt: 1,
      createdAt: new Date(options.createdAtMs).toISOString(),
      correlationId: `corr-${options.itemId}`,
      history: [],
    };
  }

  get current(): WorkItem.Value {
    return this.item;
  }

  /** The ingestor accepts it (attempt 1 on the work topic). */
  submit(atMs = Date.parse(this.item.createdAt)): this {
    return this.push({ topic: 'work', value: this.item, timestampMs: atMs });
  }

  /** The processor reports the current attempt failed. */
  fail(type: string, atMs: number, failure: Partial<Failure> = {}): this {
    const value: WorkFailed.Value = {
      item: this.item,
      failure: { type, message: failure.message ?? `${type} on attempt ${this.item.attempt}`, retryable: failure.retryable ?? true, ...failure },
      failedAt: new Date(atMs).toISOString(),
      durationMs: 12,
      source: { topic: 'work', partition: 0, offset: String(this.sourceOffset++) },
    };
    this.lastFailed = value;
    return this.push({ topic: 'failed', value, timestampMs: atMs });
  }

  /** The retrier puts the next attempt on the work topic at `atMs` (its delay ran out). */
  retry(atMs: number): this {
    this.item = { ...this.withLastFailure(), attempt: this.item.attempt + 1 };
    return this.push({ topic: 'work', value: this.item, timestampMs: atMs });
  }

  /** The retrier defers the same attempt (CIRCUIT_OPEN: no attempt spent). */
  defer(atMs: number): this {
    this.item = { ...this.withLastFailure(), deferrals: (this.item.deferrals ?? 0) + 1 };
    return this.push({ topic: 'work', value: this.item, timestampMs: atMs });
  }

  /** The processor reports the current attempt succeeded. */
  succeed(atMs: number): this {
    const value: WorkSucceeded.Value = {
      itemId: this.item.itemId,
      key: this.item.key,
      type: this.item.type,
      ...(this.item.batchId ? { batchId: this.item.batchId } : {}),
      attempt: this.item.attempt,
      correlationId: this.item.correlationId,
      createdAt: this.item.createdAt,
      completedAt: new Date(atMs).toISOString(),
      durationMs: 25,
      result: { status: 200 },
      history: this.item.history,
      source: { topic: 'work', partition: 0, offset: String(this.sourceOffset++) },
      ...(this.item.replay ? { replayId: this.item.replay.replayId } : {}),
    };
    return this.push({ topic: 'succeeded', value, timestampMs: atMs });
  }

  /** The retrier gives up after the last failure. */
  abandon(reason: WorkAbandoned.Value['reason'], atMs: number): this {
    const failed = this.lastFailed;
    if (!failed) throw new Error('abandon needs a failure first');
    this.item = this.withLastFailure();
    const value: WorkAbandoned.Value = {
      item: this.item,
      reason,
      detail: `${reason} after attempt ${this.item.attempt}`,
      lastFailure: failed.failure,
      abandonedAt: new Date(atMs).toISOString(),
    };
    return this.push({ topic: 'abandoned', value, timestampMs: atMs });
  }

  /** An operator replays the abandoned item: attempt 1 again, history kept. */
  replay(replayId: string, atMs: number): this {
    this.item = {
      ...this.item,
      attempt: 1,
      replay: { replayId, replayedAt: new Date(atMs).toISOString(), source: { topic: 'work.abandoned', partition: 0, offset: '0' } },
    };
    delete this.item.deferrals;
    return this.push({ topic: 'work', value: this.item, timestampMs: atMs });
  }

  /** Emits the last event again (an at-least-once redelivery). */
  duplicateLast(): this {
    const last = this.events.at(-1);
    if (!last) throw new Error('nothing to duplicate');
    return this.push({ ...last });
  }

  private withLastFailure(): WorkItem.Value {
    const failed = this.lastFailed;
    if (!failed) throw new Error('no failure to carry');
    if (this.item.history.some((record) => record.failedAt === failed.failedAt && record.attempt === failed.item.attempt)) {
      return this.item;
    }
    const record: AttemptRecord = {
      attempt: failed.item.attempt,
      failure: failed.failure,
      failedAt: failed.failedAt,
      source: failed.source,
      durationMs: failed.durationMs,
    };
    return { ...this.item, history: [...this.item.history, record] };
  }

  private push(event: StoryEvent): this {
    this.events.push(event);
    return this;
  }
}
