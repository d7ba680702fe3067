import type { Logger } from '@workpipe/logging';

/**
 * Tells live-progress listeners (every stats instance's SSE streams) that a
 * batch's numbers changed, over Redis pub/sub: at most one message per batch
 * per `throttleMs`, the last change always announced (leading and trailing edge).
 * Pub/sub may drop a message; the SSE stream also re-reads periodically.
 */
export class BatchProgressNotifier {
  private readonly lastSent = new Map<string, number>();
  private readonly scheduled = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    /** Publishes a batch id on the updates channel (Redis PUBLISH). */
    private readonly publish: (batchId: string) => Promise<unknown>,
    private readonly throttleMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  changed(batchIds: Iterable<string>): void {
    for (const batchId of batchIds) {
      if (this.closed || batchId === '' || this.scheduled.has(batchId)) continue;
      const wait = (this.lastSent.get(batchId) ?? -Infinity) + this.throttleMs - this.now();
      if (wait <= 0) {
        this.send(batchId);
      } else {
        this.scheduled.set(
          batchId,
          setTimeout(() => {
            this.scheduled.delete(batchId);
            this.send(batchId);
          }, wait),
        );
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.scheduled.values()) clearTimeout(timer);
    this.scheduled.clear();
  }

  private send(batchId: string): void {
    if (this.closed) return;
    this.lastSent.set(batchId, this.now());
    if (this.lastSent.size > 10_000) this.forgetOldest();
    this.publish(batchId).catch((error: Error) => {
      this.logger.warn({ err: error.message, batchId }, 'progress notification not published');
    });
  }

  private forgetOldest(): void {
    const cutoff = this.now() - this.throttleMs;
    for (const [batchId, at] of this.lastSent) if (at < cutoff) this.lastSent.delete(batchId);
  }
}
