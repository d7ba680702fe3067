import { EventSource } from 'eventsource';
import { OperationsApi } from '@workpipe/contracts';
import { ApiKeyRejectedError } from '../errors/api-key-rejected-error';
import { StatsUnavailableError } from '../errors/stats-unavailable-error';

export interface WatchBatchOptions {
  /** Base URL of the stats service. */
  statsUrl: string;
  batchId: string;
  /** Items the batch has, so `complete` waits until all are known. Optional. */
  expected?: number;
  /** Sent as `x-api-key` when given (a stats service with API_KEYS wants a key with the read role). */
  apiKey?: string;
  /** HTTP client of the stream. Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Called on every update. */
  onProgress: (progress: OperationsApi.BatchProgress) => void;
  /** Called when the stream drops (EventSource reconnects by itself). */
  onDisconnect?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Follows a batch's live progress (server-sent events from the stats service)
 * until it completes; resolves with the final numbers. Reconnects on its own
 * when the stream drops; rejects when aborted, with {@link ApiKeyRejectedError}
 * when the service refuses the key, and with {@link StatsUnavailableError}
 * when it answers something else than a stream (the stream is closed for good).
 */
export function watchBatch(options: WatchBatchOptions): Promise<OperationsApi.BatchProgress> {
  const url = new URL(`${options.statsUrl}/v1/batches/${encodeURIComponent(options.batchId)}/events`);
  if (options.expected !== undefined) url.searchParams.set('expected', String(options.expected));
  const baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const { apiKey } = options;
  return new Promise((resolve, reject) => {
    const source = new EventSource(url.toString(), {
      fetch: (input, init) => baseFetch(input, apiKey ? { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-api-key': apiKey } } : init),
    });
    const finish = (done: () => void): void => {
      source.close();
      options.signal?.removeEventListener('abort', onAbort);
      done();
    };
    const onAbort = (): void => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const parse = (data: string): OperationsApi.BatchProgress | undefined => {
      const parsed = OperationsApi.BatchProgressSchema.safeParse(JSON.parse(data));
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
    source.onerror = (event) => {
      if (event.code === 401 || event.code === 403) {
        finish(() => reject(new ApiKeyRejectedError(event.message ?? `answered ${event.code}`, apiKey !== undefined)));
      } else if (source.readyState === EventSource.CLOSED) {
        finish(() => reject(new StatsUnavailableError(`the stats service at ${options.statsUrl} answered the stream with ${event.code ?? 'an error'}: ${event.message ?? ''}`)));
      } else {
        options.onDisconnect?.(event.message ?? 'stream interrupted, reconnecting');
      }
    };
  });
}
