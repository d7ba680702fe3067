/**
 * Fixes to kafkajs 2.2.4, applied once when this module loads (kafkajs is no
 * longer released; each is the behaviour its code intends). In its
 * per-connection request queue (`kafkajs/src/network/requestQueue`):
 *
 * 1. `scheduleCheckPendingRequests` re-arms a timer even when nothing is
 *    pending and no throttle is in force: `throttledUntil - now` is negative,
 *    so the timer fires after 1 ms and re-arms itself, forever, on every
 *    connection that ever answered a request (measured: 3 % of a core per idle
 *    process). Patched: nothing pending and no throttle in the future, no timer.
 * 2. The in-flight request timeout is checked every 100 ms per connection;
 *    requests time out after `requestTimeout` (30 s): a check per second is
 *    plenty. Patched: at most once per second.
 *
 * In its consumer group (`kafkajs/src/consumer/consumerGroup`):
 *
 * 3. When every assigned partition is paused, `fetch` sleeps `maxWaitTime`
 *    before it looks again, so a partition resumed meanwhile (a window with
 *    room again, the seek after an assignment done) waits the whole sleep.
 *    Patched: the same sleep, ended at once by a `resume`.
 *
 * Three fixes cannot be applied at run time (kafkajs captures the functions when it loads) and are
 * a file patch instead, `patches/kafkajs+2.2.4.patch`, applied by `npm ci` (postinstall: patch-package):
 *
 * 4. Its `read_committed` filter of aborted transactions (`consumer/filterAbortedMessages`) let
 *    some aborted records through (see `kafkajs-aborted-filter.spec.ts`).
 * 5. Its producer (`producer/sendMessages`) kept acknowledgements per broker and retried as soon as
 *    one request failed: when a broker died, a request still in flight to another broker was sent
 *    again with the next sequence numbers (the same records twice in one transaction), and a
 *    partition whose leadership moved to a broker that had already answered was never sent.
 *    Patched: acknowledgements per partition, a retry once every request settled (see
 *    `kafkajs-send-messages.spec.ts`; found by `test/chaos/cluster-faults.test.ts`).
 * 6. Its OffsetFetch stops at v4, without KIP-447's `require_stable`: a committed offset read while
 *    the transaction committing it is being resolved answers the offset before it. Patched: v7 and
 *    `admin.fetchOffsets({ requireStable: true })`, which waits out UNSTABLE_OFFSET_COMMIT (see
 *    `test/foundation/stable-offsets.test.ts`); the partition worker reads its positions so.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup') as ConsumerGroupClass;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsVersion = (require('kafkajs/package.json') as { version: string }).version;

interface RequestQueueInstance {
  pending: unknown[];
  throttledUntil: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  inflight: Map<unknown, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  isConnected(): boolean;
  destroy(): void;
}
interface RequestQueueClass {
  prototype: RequestQueueInstance & {
    scheduleCheckPendingRequests(this: RequestQueueInstance): void;
    scheduleRequestTimeoutCheck(this: RequestQueueInstance): void;
    __workpipePatched?: boolean;
  };
}

interface ConsumerGroupInstance {
  maxWaitTime: number;
  subscriptionState: { assigned(): { partitions: number[] }[]; active(): { partitions: number[] }[] };
  __workpipeResumed?: () => void;
}
interface ConsumerGroupClass {
  prototype: ConsumerGroupInstance & {
    fetch(this: ConsumerGroupInstance, nodeId: number): Promise<unknown[]>;
    resume(this: ConsumerGroupInstance, topicPartitions: unknown[]): void;
    __workpipePatched?: boolean;
  };
}

/** The kafkajs version these fixes were written against; another one must be checked again. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** Longest a timed-out request waits to be noticed, in milliseconds. */
export const REQUEST_TIMEOUT_CHECK_MS = 1_000;

export function applyKafkajsPatches(): void {
  if (kafkajsVersion !== PATCHED_KAFKAJS_VERSION) {
    throw new Error(`kafkajs ${kafkajsVersion} is installed; libs/kafka/src/kafkajs-request-queue-patch.ts was written for ${PATCHED_KAFKAJS_VERSION}: check it again`);
  }
  patchRequestQueue();
  patchConsumerGroup();
}

function patchRequestQueue(): void {
  const proto = RequestQueue.prototype;
  if (proto.__workpipePatched) return;
  const scheduleCheckPendingRequests = proto.scheduleCheckPendingRequests;
  proto.scheduleCheckPendingRequests = function patchedSchedule(this: RequestQueueInstance): void {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    scheduleCheckPendingRequests.call(this);
  };
  proto.scheduleRequestTimeoutCheck = function patchedTimeoutCheck(this: RequestQueueInstance): void {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    this.requestTimeoutIntervalId = setInterval(() => {
      for (const request of this.inflight.values()) {
        if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
      }
      if (!this.isConnected()) this.destroy();
    }, Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_MS));
  };
  proto.__workpipePatched = true;
}

function patchConsumerGroup(): void {
  const proto = ConsumerGroup.prototype;
  if (proto.__workpipePatched) return;
  const fetch = proto.fetch;
  proto.fetch = async function patchedFetch(this: ConsumerGroupInstance, nodeId: number): Promise<unknown[]> {
    const state = this.subscriptionState;
    const assigned = state.assigned().some(({ partitions }) => partitions.length > 0);
    const active = state.active().some(({ partitions }) => partitions.length > 0);
    if (assigned && !active) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.maxWaitTime);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.__workpipeResumed = done;
      });
      this.__workpipeResumed = undefined;
      if (!state.active().some(({ partitions }) => partitions.length > 0)) return [];
    }
    return fetch.call(this, nodeId);
  };
  const resume = proto.resume;
  proto.resume = function patchedResume(this: ConsumerGroupInstance, topicPartitions: unknown[]): void {
    resume.call(this, topicPartitions);
    this.__workpipeResumed?.();
  };
  proto.__workpipePatched = true;
}

applyKafkajsPatches();
