import { OperationsApi } from '@workpipe/contracts';
import type { ErrorEvent, EventSource } from 'eventsource';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api-error';
import { useApi } from './api-context';
import type { StatsAnswer } from './api-types';

/**
 * - `connecting`: opening the stream;
 * - `live`: progress events arrive as the numbers change;
 * - `complete`: nothing pending; the stream ended, the numbers are re-read every 10 s (a replay may change them);
 * - `waiting`: no event of the batch seen yet; asked again every 3 s;
 * - `polling`: the stream was refused (too many open for this key, or an error); numbers re-read every 5 s, the stream retried.
 */
export type LiveMode = 'connecting' | 'live' | 'complete' | 'waiting' | 'polling';

export interface BatchLive {
  /** `GET /v1/batches/:id`, re-read after each progress event (at most every 500 ms). */
  view: StatsAnswer | undefined;
  /** The latest `progress` (or `complete`) event. */
  progress: OperationsApi.BatchProgress | undefined;
  mode: LiveMode;
  error: unknown;
}

const VIEW_REFRESH_MS = 500;
const WAIT_RETRY_MS = 3_000;
const COMPLETE_REFRESH_MS = 10_000;
const POLL_MS = 5_000;

/** One batch, live: its server-sent progress (`/v1/batches/:id/events`, with the key in a header) and its full numbers. */
export function useBatchLive(batchId: string): BatchLive {
  const api = useApi();
  const [state, setState] = useState<BatchLive>({ view: undefined, progress: undefined, mode: 'connecting', error: undefined });

  useEffect(() => {
    const path = `/v1/batches/${encodeURIComponent(batchId)}`;
    const update = (change: Partial<BatchLive>) => !closed && setState((current) => ({ ...current, ...change }));
    let closed = false;
    let source: EventSource | undefined;
    let viewTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;

    const readView = async (): Promise<void> => {
      try {
        update({ view: await api.get<StatsAnswer>(path), error: undefined });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) update({ error });
      }
    };
    const readViewSoon = () => {
      viewTimer ??= setTimeout(() => {
        viewTimer = undefined;
        void readView();
      }, VIEW_REFRESH_MS);
    };
    const poll = (everyMs: number) => {
      clearInterval(pollTimer);
      pollTimer = setInterval(() => void readView(), everyMs);
    };
    const retry = (afterMs: number) => {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(open, afterMs);
    };
    const progressOf = (data: string) => OperationsApi.BatchProgressSchema.parse(JSON.parse(data));

    function open(): void {
      if (closed) return;
      source?.close();
      const stream = api.events(`${path}/events`);
      source = stream;
      stream.addEventListener('progress', (event) => {
        clearInterval(pollTimer);
        update({ progress: progressOf(event.data), mode: 'live', error: undefined });
        readViewSoon();
      });
      stream.addEventListener('complete', (event) => {
        stream.close();
        update({ progress: progressOf(event.data), mode: 'complete' });
        void readView();
        poll(COMPLETE_REFRESH_MS);
      });
      // `idle` (no change for a while): the server ends the stream and the EventSource reconnects by itself.
      stream.addEventListener('not-found', () => {
        stream.close();
        update({ mode: 'waiting' });
        retry(WAIT_RETRY_MS);
      });
      stream.onerror = (event: ErrorEvent) => {
        if (stream.readyState !== stream.CLOSED) return; // a dropped connection: it reconnects
        if (event.code === 404) {
          update({ mode: 'waiting' });
          retry(WAIT_RETRY_MS);
        } else if (event.code === 401 || event.code === 403) {
          update({ mode: 'polling', error: new ApiError(event.code, event.code === 401 ? 'API_KEY_MISSING' : 'ROLE_MISSING', event.message ?? 'refused') });
        } else {
          // 429 (too many streams for this key) or a failure: numbers by polling, the stream later.
          update({ mode: 'polling' });
          poll(POLL_MS);
          retry(event.code === 429 ? 30_000 : POLL_MS);
        }
      };
    }

    void readView();
    open();
    return () => {
      closed = true;
      source?.close();
      clearTimeout(viewTimer);
      clearTimeout(retryTimer);
      clearInterval(pollTimer);
    };
  }, [api, batchId]);

  return state;
}
