import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { buildStatsView } from '@workpipe/stats-model';
import type { Logger } from '@workpipe/logging';
import { InjectRootLogger } from '@workpipe/runtime';
import { StatsReader } from '../reading/stats-reader.service';
import { STATS_SETTINGS, type StatsSettings } from '../stats-settings.token';
import { BatchProgressHub } from './batch-progress.hub';
import { batchProgressOf, type BatchProgress } from './batch-progress';

/** Re-read even without a notification (pub/sub may drop one), and keep proxies from timing out, in ms. */
export const REFRESH_MS = 5_000;

/**
 * Server-sent events of one batch's progress: a `progress` snapshot on
 * connect, another whenever the batch's numbers change (at most one per
 * STATS_PROGRESS_THROTTLE_MS), and a final `complete` event once nothing is
 * pending, after which the stream ends.
 */
@Injectable()
export class LiveProgressService implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();
  private readonly logger: Logger;

  constructor(
    private readonly reader: StatsReader,
    private readonly hub: BatchProgressHub,
    @Inject(STATS_SETTINGS) private readonly settings: StatsSettings,
    @InjectRootLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'live-progress' });
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }

  async stream(batchId: string, expected: number | undefined, res: Response): Promise<void> {
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

    const write = (event: string, progress: BatchProgress) => {
      res.write(`id: ${++sequence}\nevent: ${event}\ndata: ${JSON.stringify(progress)}\n\n`);
    };
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(trailing);
      clearInterval(refresh);
      unlisten();
      this.open.delete(close);
      res.end();
    };
    const sendNow = async (): Promise<void> => {
      const snapshot = await this.reader.snapshot(batchId);
      if (closed) return;
      const progress = batchProgressOf(batchId, snapshot && buildStatsView(snapshot), expected, Date.now());
      const data = JSON.stringify({ ...progress, asOf: undefined });
      lastSentAt = Date.now();
      if (data !== lastData || sequence === 0) {
        lastData = data;
        write('progress', progress);
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
    this.open.add(close);
    res.on('close', close);
    update();
  }
}
