import type { AppConfig, ServiceName } from './app-config';
import { loadConfig } from './load-config';

/**
 * The defaults of README.md's configuration table, each compared with a LITERAL value (not with
 * `CONFIG_DEFAULTS` or `STATS_SETTINGS_DEFAULTS`, which would change along with the code): a
 * default that moves away from what the README promises fails here.
 */
const defaults: [variable: string, service: ServiceName, read: (config: AppConfig) => unknown, expected: unknown][] = [
  ['TOPIC_PARTITIONS', 'ingestor', (c) => c.kafka.partitions, 6],
  ['TOPIC_REPLICATION_FACTOR', 'ingestor', (c) => c.kafka.replicationFactor, 1],
  ['TOPIC_PREFIX', 'processor', (c) => c.kafka.topicPrefix, 'workpipe.'],
  ['REDIS_KEY_PREFIX', 'retrier', (c) => c.redis.keyPrefix, 'workpipe:'],
  ['PROCESSOR_CONCURRENCY', 'processor', (c) => c.processor.concurrency, 32],
  ['PROCESSOR_ATTEMPT_TIMEOUT_MS', 'processor', (c) => c.processor.attemptTimeoutMs, 60_000],
  ['CONSUMER_WINDOW', 'processor', (c) => c.consumers.window, 1000],
  ['CONSUMER_COMMIT_INTERVAL_MS', 'processor', (c) => c.consumers.commitIntervalMs, 100],
  ['CONSUMER_SESSION_TIMEOUT_MS', 'retrier', (c) => c.consumers.sessionTimeoutMs, 30_000],
  ['PUBLISH_TIMEOUT_MS', 'ingestor', (c) => c.publishTimeoutMs, 15_000],
  ['KAFKA_CONNECT_TIMEOUT_MS', 'stats', (c) => c.kafka.connectTimeoutMs, 60_000],
  ['DEDUP_TTL_HOURS (24 h, in ms)', 'ingestor', (c) => c.ingest.dedupTtlMs, 24 * 3_600_000],
  ['SHUTDOWN_TIMEOUT_MS', 'stats', (c) => c.shutdownTimeoutMs, 15_000],
  ['TIME_SCALE', 'retrier', (c) => c.retry.timeScale, 1],
  ['KEY_CIRCUIT_FAILURES', 'retrier', (c) => c.retry.keyCircuitFailures, 5],
  ['KEY_CIRCUIT_WINDOW (1 h, in ms)', 'retrier', (c) => c.retry.keyCircuitWindowMs, 3_600_000],
  ['KEY_CIRCUIT_COOLDOWN (30 min, in ms)', 'retrier', (c) => c.retry.keyCircuitCooldownMs, 1_800_000],
  ['KEY_CIRCUIT_MODE', 'retrier', (c) => c.retry.keyCircuitMode, 'abandon'],
  ['ALERT_RULES (all four)', 'stats', (c) => c.stats.alerts.thresholds.enabled, ['LOW_SUCCESS_RATE', 'ACCUMULATED_FAILURES', 'STUCK_PENDING', 'HIGH_ERROR_RATE']],
  ['ALERT_SUCCESS_RATE_BELOW_PERCENT (85 %)', 'stats', (c) => c.stats.alerts.thresholds.successRate.below, 0.85],
  ['ALERT_FAILURES_ABOVE', 'stats', (c) => c.stats.alerts.thresholds.accumulatedFailures.above, 20],
  ['ALERT_PENDING_OLDER_THAN_MS', 'stats', (c) => c.stats.alerts.thresholds.stuckPending.olderThanMs, 3_600_000],
  ['ALERT_ERROR_RATE_ABOVE_PERCENT (10 %)', 'stats', (c) => c.stats.alerts.thresholds.errorRate.above, 0.1],
  ['ALERT_ERROR_RATE_WINDOW_MINUTES', 'stats', (c) => c.stats.alerts.thresholds.errorRate.windowMinutes, 5],
  ['STATS_APPLY_CHUNK_SIZE', 'stats', (c) => c.stats.applyChunkSize, 500],
  ['STATS_PROGRESS_THROTTLE_MS', 'stats', (c) => c.stats.progressThrottleMs, 250],
];

describe('configuration defaults (README configuration table)', () => {
  it.each(defaults)('%s defaults to the README value', (_variable, service, read, expected) => {
    expect(read(loadConfig(service, {}))).toEqual(expected);
  });

  it('gives every service the same shared defaults', () => {
    const services: ServiceName[] = ['ingestor', 'processor', 'retrier', 'stats'];
    const shared = services.map((service) => {
      const c = loadConfig(service, {});
      return [c.kafka.topicPrefix, c.redis.keyPrefix, c.kafka.partitions, c.kafka.replicationFactor, c.shutdownTimeoutMs, c.consumers.window];
    });
    for (const values of shared) expect(values).toEqual(['workpipe.', 'workpipe:', 6, 1, 15_000, 1000]);
  });
});

describe('live-progress stream defaults (stats settings)', () => {
  const { streams } = loadConfig('stats', {}).stats;

  it('opens at most 200 streams per stats instance', () => {
    expect(streams.max).toBe(200);
  });

  it('opens at most 20 streams per API key', () => {
    expect(streams.maxPerKey).toBe(20);
  });

  it('ends a stream without change after 10 minutes (SSE_IDLE_TIMEOUT_MS 600000)', () => {
    expect(streams.idleTimeoutMs).toBe(10 * 60_000);
  });

  it('waits 60 s for a batch announced with ?expected= (SSE_UNKNOWN_BATCH_WAIT_MS)', () => {
    expect(streams.unknownBatchWaitMs).toBe(60_000);
  });
});
