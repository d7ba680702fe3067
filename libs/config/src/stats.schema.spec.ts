import { ConfigError } from './errors/config-error';
import { DEFAULT_ALERT_THRESHOLDS } from '@workpipe/stats-model';
import { loadConfig } from './load-config';

const loadStatsSettings = (env: Record<string, string>) => loadConfig('stats', env).stats;

describe('stats settings', () => {
  it('defaults to the seeds: 85% success rate, 20 failures, 1 h pending, 10% errors over 5 min', () => {
    const settings = loadStatsSettings({});
    expect(settings.alerts.thresholds).toEqual(DEFAULT_ALERT_THRESHOLDS);
    expect(settings).toMatchObject({ applyChunkSize: 500, progressThrottleMs: 250 });
    expect(settings.alerts).toMatchObject({ evaluationIntervalMs: 5000, webhookUrl: undefined, webhookTimeoutMs: 5000, webhookRetries: 5 });
    expect(settings.alerts).toMatchObject({ webhookBackoffMs: 1000, webhookBackoffMaxMs: 60000 });
  });

  it('reads percents as fractions and rules as a list', () => {
    const settings = loadStatsSettings({
      ALERT_SUCCESS_RATE_BELOW_PERCENT: '90',
      ALERT_ERROR_RATE_ABOVE_PERCENT: '25',
      ALERT_RULES: 'stuck_pending, HIGH_ERROR_RATE',
      ALERT_WEBHOOK_URL: 'https://hooks.example.com/workpipe',
    });
    expect(settings.alerts.thresholds.successRate.below).toBe(0.9);
    expect(settings.alerts.thresholds.errorRate.above).toBe(0.25);
    expect(settings.alerts.thresholds.enabled).toEqual(['STUCK_PENDING', 'HIGH_ERROR_RATE']);
    expect(settings.alerts.webhookUrl).toBe('https://hooks.example.com/workpipe');
  });

  it('reads the webhook retry settings, in ms, and refuses a bad one by name', () => {
    const settings = loadStatsSettings({ ALERT_WEBHOOK_RETRIES: '2', ALERT_WEBHOOK_BACKOFF_MS: '250', ALERT_WEBHOOK_BACKOFF_MAX_MS: '4000', ALERT_WEBHOOK_TIMEOUT_MS: '1500' });
    expect(settings.alerts).toMatchObject({ webhookRetries: 2, webhookBackoffMs: 250, webhookBackoffMaxMs: 4000, webhookTimeoutMs: 1500 });
    let error: unknown;
    try {
      loadStatsSettings({ ALERT_WEBHOOK_RETRIES: '21', ALERT_WEBHOOK_BACKOFF_MS: '0', ALERT_WEBHOOK_BACKOFF_MAX_MS: 'soon', ALERT_WEBHOOK_TIMEOUT_MS: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
      'ALERT_WEBHOOK_BACKOFF_MAX_MS',
      'ALERT_WEBHOOK_BACKOFF_MS',
      'ALERT_WEBHOOK_RETRIES',
      'ALERT_WEBHOOK_TIMEOUT_MS',
    ]);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadStatsSettings({ ALERT_RULES: 'LOUD', ALERT_SUCCESS_RATE_BELOW_PERCENT: '120', ALERT_WEBHOOK_URL: 'ftp://x', STATS_APPLY_CHUNK_SIZE: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
      'ALERT_RULES',
      'ALERT_SUCCESS_RATE_BELOW_PERCENT',
      'ALERT_WEBHOOK_URL',
      'STATS_APPLY_CHUNK_SIZE',
    ]);
    expect((error as ConfigError).message).toContain('ALERT_RULES: each rule must be one of LOW_SUCCESS_RATE');
  });
});
