import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { ReplayRequest } from '@workpipe/contracts';
import type { Logger } from '@workpipe/logging';
import { InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { ReplayRuntime } from './replay-runtime';

/** Request events kept in Redis for `GET /v1/replay-requests` (the topic keeps all of them). */
export const RECENT_REQUESTS_KEPT = 1000;

/** A request event before its id and time are stamped. */
export type RequestEvent = Omit<ReplayRequest.Value, 'requestId' | 'requestedAt'>;

/**
 * Records every replay request, and the end of every run, as a
 * `ReplayRequest` event on the `replays` topic (keyed by replay id, kept
 * forever), then in Redis for the API: the replay's own list and the latest
 * {@link RECENT_REQUESTS_KEPT} of all.
 */
@Injectable()
export class ReplayAudit {
  private readonly logger: Logger;

  constructor(
    private readonly runtime: ReplayRuntime,
    @InjectRedis() private readonly redis: Redis,
    @InjectRootLogger() logger: Logger,
  ) {
    this.logger = logger.child({ component: 'replay-audit' });
  }

  /** Publishes the event (a failure throws: an accepted request is recorded before it is acted on). */
  async record(event: RequestEvent, now: Date = new Date()): Promise<ReplayRequest.Value> {
    const value: ReplayRequest.Value = ReplayRequest.Schema.parse({ requestId: randomUUID(), requestedAt: now.toISOString(), ...event });
    await this.runtime.publisher.publish(this.runtime.topics.replays, ReplayRequest, [{ key: value.replayId ?? value.requestId, value }]);
    const key = this.runtime.keys.recentRequests();
    await this.redis.multi().lpush(key, JSON.stringify(value)).ltrim(key, 0, RECENT_REQUESTS_KEPT - 1).exec();
    if (value.replayId !== undefined && value.outcome.status !== 'rejected') await this.runtime.records.addRequest(value.replayId, value);
    return value;
  }

  /** Records a rejection; a failure to record it is logged, the rejection still goes out. */
  async rejected(event: Omit<RequestEvent, 'outcome'>, message: string): Promise<void> {
    await this.record({ ...event, outcome: { status: 'rejected', message } }).catch((error: Error) =>
      this.logger.warn({ err: error.message, action: event.action }, 'could not record a rejected replay request'),
    );
  }

  /** The latest request events of every replay, newest first. */
  async recent(limit: number): Promise<ReplayRequest.Value[]> {
    const entries = await this.redis.lrange(this.runtime.keys.recentRequests(), 0, limit - 1);
    return entries.map((entry) => ReplayRequest.Schema.parse(JSON.parse(entry)));
  }
}
