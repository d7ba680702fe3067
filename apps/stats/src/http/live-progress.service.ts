import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { buildStatsView } from '@workpipe/stats-model';
import type { Logger } from '@workpipe/logging';
import { InjectRootLogger, RequestRejectedError } from '@workpipe/runtime';
import { StatsReader } from '../reading/stats-reader.service';
import { STATS_SETTINGS, type StatsSettings } from '../stats-settings.token';
import { BatchProgressHub } from './batch-progress.hub';
import { batchProgressOf, type BatchProgress } from './batch-progress';
import { StreamSlots } from './stream-slots';

/** Re-read even without a notification (pub/sub may drop one), and keep proxies from timing out, in ms. */
export const REFRESH_MS = 5_000;

/** Who asks for a stream, and how. */
export interface StreamRequest {
  batchId: string;
  /** Items the client says the batch has (`?expected=`): it just submitted them, so an unknown batch is waited for. */
  expected?: number;
  /** `ApiCaller.id`: the streams of one key are capped together. */
  callerId: string;
  /** The client is an EventSource reconnecting (it sent `Last-Event-ID`). */
  reconnecting: boolean;
}

/**
 * Server-sent events of one batch's progress: a `progress` snapshot on
 * connect, another whenever the batch's numbers change (at most one per
 * STATS_PROGRESS_THROTTLE_MS), and a final `complete` event once nothing is
 * pending, after which the stream ends. Bounded: at most SSE_MAX_STREAMS open
 * (SSE_MAX_STREAMS_PER_KEY per key; 429 beyond), an unknown batch is a 404
 * unless the client announced it with `?expected=` (then it waits
 * SSE_UNKNOWN_BATCH_WAIT_MS for its first event and ends with `not-found`),
 * and a stream whose numbers did not change for SSE_IDLE_TIMEOUT_MS ends with
 * `idle` (an EventSource reconnects).
 */
@Injectable()
export class LiveProgressService implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();
  private readonly logger: Logger;
  private readonly slots: StreamSlots;

  constructor(
    private readonly reader: StatsReader,
    private readonly hub: BatchProgressHub,
    @Inject(STATS_SETTINGS) private readonly settings: StatsSettings,
    @InjectRootLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'live-progress' });
    this.slots = new StreamSlots(settings.streams.max, settings.streams.maxPerKey);
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }

  async stream(request: StreamRequest, res: Response): Promise<void> {
    const { batchId, expected } = request;
    const slot = this.slots.take(request.callerId);
    if (!slot.ok) {
      res.setHeader('Retry-After', '30');
      throw new RequestRejectedError(
        429,
        'TOO_MANY_STREAMS',
        slot.refusal.scope === 'key'
          ? `this key already has ${slot.refusal.limit} live-progress streams open (SSE_MAX_STREAMS_PER_KEY); close one first`
          : `this instance already serves ${slot.refusal.limit} live-progress streams (SSE_MAX_STREAMS); retry later`,
      );
    }
    let known: boolean;
    try {
      known = (await this.reader.snapshot(batchId)) !== undefined;
    } catch (error) {
      slot.release();
      throw error;
    }
    // A client that did not announce the batch, or comes back after the wait ran out, gets a plain answer, not an endless stream.
    if (!known && (expected === undefined || request.reconnecting)) {
      slot.release();
      throw new RequestRejectedError(
        404,
        'BATCH_NOT_FOUND',
        `no event of batch "${batchId}" has been seen; to follow a batch just submitted, pass ?expected=<number of items>`,
      );
    }

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: 2000\n\n`);

    let closed = false;
    let lastData = '';
    let lastSentAt = 0;
    let sequence = 0;
    let inFlight: Promise<void> | undefined;
    let pending = false;
    let trailing: NodeJS.Timeout | undefined;
    let idle: NodeJS.Timeout | undefined;
    let unknownWait: NodeJS.Timeout | undefined;

    const write = (event: string, progress: BatchProgress) => {
      res.write(`id: ${++sequence}\nevent: ${event}\ndata: ${JSON.stringify(progress)}\n\n`);
    };
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(trailing);
      clearTimeout(idle);
      clearTimeout(unknownWait);
      clearInterval(refresh);
      unlisten();
      slot.release();
      this.open.delete(close);
      res.end();
    };
    const endWith = (event: 'idle' | 'not-found', message: string) => {
      if (closed) return;
      res.write(`id: ${++sequence}\nevent: ${event}\ndata: ${JSON.stringify({ batchId, message })}\n\n`);
      close();
    };
    const restartIdleTimer = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () => endWith('idle', `no change for ${this.settings.streams.idleTimeoutMs} ms; reconnect to keep following`),
        this.settings.streams.idleTimeoutMs,
      );
    };
    const sendNow = async (): Promise<void> => {
      const snapshot = await this.reader.snapshot(batchId);
      if (closed) return;
      const progress = batchProgressOf(batchId, snapshot && buildStatsView(snapshot), expected, Date.now());
      const data = JSON.stringify({ ...progress, asOf: undefined });
      lastSentAt = Date.now();
      if (progress.known) clearTimeout(unknownWait);
      if (data !== lastData || sequence === 0) {
        lastData = data;
        write('progress', progress);
        restartIdleTimer();
      }
      if (progress.complete) {
        write('complete', progress);
        close();
      }
    };
    const update = () => {
      if (closed) return;
      if (inFlight) {
        pending = true;
        return;
      }
      const wait = lastSentAt + this.settings.progressThrottleMs - Date.now();
      if (wait > 0) {
        if (!trailing) trailing = setTimeout(() => ((trailing = undefined), update()), wait);
        return;
      }
      inFlight = sendNow()
        .catch((error: Error) => {
          this.logger.warn({ err: error.message, batchId }, 'progress snapshot failed; retrying on the next change');
        })
        .finally(() => {
          inFlight = undefined;
          if (pending) {
            pending = false;
            update();
          }
        });
    };

    const unlisten = this.hub.listen(batchId, update);
    const refresh = setInterval(() => {
      if (!closed) res.write(`: keep-alive\n\n`);
      update();
    }, REFRESH_MS);
    if (!known) {
      unknownWait = setTimeout(
        () => endWith('not-found', `no event of batch "${batchId}" within ${this.settings.streams.unknownBatchWaitMs} ms`),
        this.settings.streams.unknownBatchWaitMs,
      );
    }
    restartIdleTimer();
    this.open.add(close);
    res.on('close', close);
    update();
  }
}
