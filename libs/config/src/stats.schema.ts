import { z } from 'zod';
import { ALERT_RULES, type AlertRule, type AlertThresholds } from '@workpipe/stats-model';

/** The stats service's settings: materialization, live progress and alert rules (defaults from the seeds). */
export const STATS_SETTINGS_DEFAULTS = {
  STATS_APPLY_CHUNK_SIZE: 500,
  STATS_PROGRESS_THROTTLE_MS: 250,
  ALERT_EVALUATION_INTERVAL_MS: 5_000,
  ALERT_RULES: ALERT_RULES.join(','),
  ALERT_SUCCESS_RATE_BELOW_PERCENT: 85,
  ALERT_SUCCESS_RATE_CLEAR_MARGIN_PERCENT: 2,
  ALERT_SUCCESS_RATE_MIN_FINISHED: 20,
  ALERT_FAILURES_ABOVE: 20,
  ALERT_FAILURES_CLEAR_MARGIN: 2,
  ALERT_PENDING_OLDER_THAN_MS: 3_600_000,
  ALERT_PENDING_CLEAR_MARGIN_MS: 0,
  ALERT_ERROR_RATE_ABOVE_PERCENT: 10,
  ALERT_ERROR_RATE_CLEAR_MARGIN_PERCENT: 2,
  ALERT_ERROR_RATE_WINDOW_MINUTES: 5,
  ALERT_ERROR_RATE_MIN_ATTEMPTS: 10,
  ALERT_MIN_ACTIVE_MS: 60_000,
  ALERT_WEBHOOK_TIMEOUT_MS: 5_000,
  ALERT_WEBHOOK_RETRIES: 5,
  ALERT_WEBHOOK_BACKOFF_MS: 1_000,
  ALERT_WEBHOOK_BACKOFF_MAX_MS: 60_000,
  SSE_MAX_STREAMS: 200,
  SSE_MAX_STREAMS_PER_KEY: 20,
  SSE_IDLE_TIMEOUT_MS: 600_000,
  SSE_UNKNOWN_BATCH_WAIT_MS: 60_000,
} as const;

const D = STATS_SETTINGS_DEFAULTS;
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const percent = z.coerce.number().min(0).max(100);

export const StatsEnvironmentSchema = z.object({
  STATS_APPLY_CHUNK_SIZE: positiveInt.max(10_000).default(D.STATS_APPLY_CHUNK_SIZE),
  STATS_PROGRESS_THROTTLE_MS: nonNegativeInt.default(D.STATS_PROGRESS_THROTTLE_MS),
  ALERT_EVALUATION_INTERVAL_MS: positiveInt.default(D.ALERT_EVALUATION_INTERVAL_MS),
  ALERT_RULES: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim().toUpperCase()).filter(Boolean))
    .pipe(z.array(z.enum(ALERT_RULES, { message: `each rule must be one of ${ALERT_RULES.join(', ')}` })))
    .default([...ALERT_RULES]),
  ALERT_SUCCESS_RATE_BELOW_PERCENT: percent.default(D.ALERT_SUCCESS_RATE_BELOW_PERCENT),
  ALERT_SUCCESS_RATE_CLEAR_MARGIN_PERCENT: percent.default(D.ALERT_SUCCESS_RATE_CLEAR_MARGIN_PERCENT),
  ALERT_SUCCESS_RATE_MIN_FINISHED: nonNegativeInt.default(D.ALERT_SUCCESS_RATE_MIN_FINISHED),
  ALERT_FAILURES_ABOVE: nonNegativeInt.default(D.ALERT_FAILURES_ABOVE),
  ALERT_FAILURES_CLEAR_MARGIN: nonNegativeInt.default(D.ALERT_FAILURES_CLEAR_MARGIN),
  ALERT_PENDING_OLDER_THAN_MS: positiveInt.default(D.ALERT_PENDING_OLDER_THAN_MS),
  ALERT_PENDING_CLEAR_MARGIN_MS: nonNegativeInt.default(D.ALERT_PENDING_CLEAR_MARGIN_MS),
  ALERT_ERROR_RATE_ABOVE_PERCENT: percent.default(D.ALERT_ERROR_RATE_ABOVE_PERCENT),
  ALERT_ERROR_RATE_CLEAR_MARGIN_PERCENT: percent.default(D.ALERT_ERROR_RATE_CLEAR_MARGIN_PERCENT),
  ALERT_ERROR_RATE_WINDOW_MINUTES: positiveInt.max(1440).default(D.ALERT_ERROR_RATE_WINDOW_MINUTES),
  ALERT_ERROR_RATE_MIN_ATTEMPTS: nonNegativeInt.default(D.ALERT_ERROR_RATE_MIN_ATTEMPTS),
  ALERT_MIN_ACTIVE_MS: nonNegativeInt.default(D.ALERT_MIN_ACTIVE_MS),
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  ALERT_WEBHOOK_TIMEOUT_MS: positiveInt.default(D.ALERT_WEBHOOK_TIMEOUT_MS),
  ALERT_WEBHOOK_RETRIES: nonNegativeInt.max(20).default(D.ALERT_WEBHOOK_RETRIES),
  ALERT_WEBHOOK_BACKOFF_MS: positiveInt.max(3_600_000).default(D.ALERT_WEBHOOK_BACKOFF_MS),
  ALERT_WEBHOOK_BACKOFF_MAX_MS: positiveInt.max(86_400_000).default(D.ALERT_WEBHOOK_BACKOFF_MAX_MS),
  SSE_MAX_STREAMS: positiveInt.max(100_000).default(D.SSE_MAX_STREAMS),
  SSE_MAX_STREAMS_PER_KEY: positiveInt.max(100_000).default(D.SSE_MAX_STREAMS_PER_KEY),
  SSE_IDLE_TIMEOUT_MS: positiveInt.default(D.SSE_IDLE_TIMEOUT_MS),
  SSE_UNKNOWN_BATCH_WAIT_MS: positiveInt.default(D.SSE_UNKNOWN_BATCH_WAIT_MS),
});

export interface StatsSettings {
  /** Events applied per Redis round trip, in one atomic script run (which holds Redis meanwhile: ~10 ms for 100). Default 500. */
  applyChunkSize: number;
  /** Least time between two live-progress notifications of one batch, in ms (250 = 4/s). Default 250. */
  progressThrottleMs: number;
  alerts: {
    /** How often the rules are evaluated, in ms; they also run after each batch of events. Default 5000. */
    evaluationIntervalMs: number;
    thresholds: AlertThresholds;
    /** POST every alert event here (JSON); unset: no webhook. */
    webhookUrl?: string;
    /** Bound of one POST (connecting, the answer and its body), in ms; past it the try failed. Default 5000. */
    webhookTimeoutMs: number;
    /**
     * Extra tries after a failed POST (a connection error, a timeout, any answer but 2xx), so at most
     * `webhookRetries + 1` POSTs per alert event; then the delivery is recorded failed. Default 5 (max 20).
     */
    webhookRetries: number;
    /** Wait before the first retry, in ms; doubles with each retry (1000: 1 s, 2 s, 4 s, 8 s, 16 s). Default 1000. */
    webhookBackoffMs: number;
    /** Longest wait between two tries, in ms (caps the doubling). Default 60000. */
    webhookBackoffMaxMs: number;
  };
  /** Live-progress streams (`GET /v1/batches/:id/events`). */
  streams: {
    /** Streams open at once on one instance; one more is answered 429. Default 200. */
    max: number;
    /** Streams open at once per API key (per client address while auth is off); one more is answered 429. Default 20. */
    maxPerKey: number;
    /** A stream whose batch's numbers did not change for this long, in ms, ends with `event: idle` (an EventSource reconnects). Default 600000. */
    idleTimeoutMs: number;
    /**
     * How long a stream of a batch not seen yet waits for its first event, in ms, when the client
     * announced it (`?expected=N`, right after submitting); then it ends with `event: not-found`.
     * Without `expected`, or on a reconnect, an unknown batch is a 404 at once. Default 60000.
     */
    unknownBatchWaitMs: number;
  };
}

/** The stats section of the configuration, from the parsed environment. */
export function statsSettingsOf(e: z.infer<typeof StatsEnvironmentSchema>): StatsSettings {
  return {
    applyChunkSize: e.STATS_APPLY_CHUNK_SIZE,
    progressThrottleMs: e.STATS_PROGRESS_THROTTLE_MS,
    alerts: {
      evaluationIntervalMs: e.ALERT_EVALUATION_INTERVAL_MS,
      thresholds: {
        successRate: {
          below: e.ALERT_SUCCESS_RATE_BELOW_PERCENT / 100,
          clearMargin: e.ALERT_SUCCESS_RATE_CLEAR_MARGIN_PERCENT / 100,
          minFinished: e.ALERT_SUCCESS_RATE_MIN_FINISHED,
        },
        accumulatedFailures: { above: e.ALERT_FAILURES_ABOVE, clearMargin: e.ALERT_FAILURES_CLEAR_MARGIN },
        stuckPending: { olderThanMs: e.ALERT_PENDING_OLDER_THAN_MS, clearMarginMs: e.ALERT_PENDING_CLEAR_MARGIN_MS },
        errorRate: {
          above: e.ALERT_ERROR_RATE_ABOVE_PERCENT / 100,
          clearMargin: e.ALERT_ERROR_RATE_CLEAR_MARGIN_PERCENT / 100,
          windowMinutes: e.ALERT_ERROR_RATE_WINDOW_MINUTES,
          minAttempts: e.ALERT_ERROR_RATE_MIN_ATTEMPTS,
        },
        minActiveMs: e.ALERT_MIN_ACTIVE_MS,
        enabled: [...new Set(e.ALERT_RULES)] as AlertRule[],
      },
      webhookUrl: e.ALERT_WEBHOOK_URL,
      webhookTimeoutMs: e.ALERT_WEBHOOK_TIMEOUT_MS,
      webhookRetries: e.ALERT_WEBHOOK_RETRIES,
      webhookBackoffMs: e.ALERT_WEBHOOK_BACKOFF_MS,
      webhookBackoffMaxMs: e.ALERT_WEBHOOK_BACKOFF_MAX_MS,
    },
    streams: {
      max: e.SSE_MAX_STREAMS,
      maxPerKey: e.SSE_MAX_STREAMS_PER_KEY,
      idleTimeoutMs: e.SSE_IDLE_TIMEOUT_MS,
      unknownBatchWaitMs: e.SSE_UNKNOWN_BATCH_WAIT_MS,
    },
  };
}
