import { EventSource } from 'eventsource';
import { BatchProgressSchema, type BatchProgress } from './batch-progress.schema';

export interface WatchBatchOptions {
  /** Base URL of the stats service. */
  statsUrl: string;
  batchId: string;
  /** Items the batch has, so `complete` waits until all are known. Optional. */
  expected?: number;
  /** Called on every update. */
  onProgress: (progress: BatchProgress) => void;
  /** Called when the stream drops (EventSource reconnects by itself). */
  onDisconnect?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Follows a batch's live progress (server-sent events from the stats service)
 * until it completes; resolves with the final numbers. Reconnects on its own
 * when the stream drops; rejects only when aborted.
 */
export function watchBatch(options: WatchBatchOptions): Promise<BatchProgress> {
  const url = new URL(`${options.statsUrl}/v1/batches/${encodeURIComponent(options.batchId)}/events`);
  if (options.expected !== undefined) url.searchParams.set('expected', String(options.expected));
  return new Promise((resolve, reject) => {
    const source = new EventSource(url.toString());
    const finish = (done: () => void): void => {
      source.close();
      options.signal?.removeEventListener('abort', onAbort);
      done();
    };
    const onAbort = (): void => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const parse = (data: string): BatchProgress | undefined => {
      const parsed = BatchProgressSchema.safeParse(JSON.parse(data));
      return parsed.success ? parsed.data : undefined;
    };
    source.addEventListener('progress', (event) => {
      const progress = parse(event.data);
      if (!progress) return;
      options.onProgress(progress);
      if (progress.complete) finish(() => resolve(progress));
    });
    source.addEventListener('complete', (event) => {
      const progress = parse(event.data);
      if (progress) {
        options.onProgress(progress);
        finish(() => resolve(progress));
      }
    });
    source.onerror = (event) => options.onDisconnect?.(event.message ?? 'stream interrupted, reconnecting');
  });
}
