import { ConfigError } from './errors/config-error';
import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('defaults to the local stack', () => {
    const config = loadConfig('ingestor', {});
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.schemaRegistry.url).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.http.port).toBe(3000);
    expect(config.kafka.clientId).toBe('workpipe-ingestor');
    expect(config.apiKeys).toEqual([]);
  });

  it('gives each service its own default port', () => {
    expect(loadConfig('stats', {}).http.port).toBe(3003);
    expect(loadConfig('stats', { HTTP_PORT: '9999' }).http.port).toBe(9999);
  });

  it('parses lists and flags', () => {
    const config = loadConfig('processor', {
      KAFKA_BROKERS: 'a:9092, b:9093',
      API_KEYS: 'key-one-1,,key-two-2:read+operate ',
      LOG_PRETTY: 'YES',
    });
    expect(config.kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(config.apiKeys).toEqual([
      { key: 'key-one-1', roles: ['read', 'submit', 'operate'] },
      { key: 'key-two-2', roles: ['read', 'operate'] },
    ]);
    expect(config.log.pretty).toBe(true);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig('ingestor', { KAFKA_BROKERS: 'nohostport', HTTP_PORT: 'abc', REDIS_URL: 'http://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((issue) => issue.variable).sort();
    expect(variables).toEqual(['HTTP_PORT', 'KAFKA_BROKERS', 'REDIS_URL']);
    expect((error as ConfigError).message).toContain('KAFKA_BROKERS: each broker must be host:port');
  });

  it('requires SASL credentials with a SASL mechanism', () => {
    expect(() => loadConfig('ingestor', { KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_USERNAME/);
  });
});

describe('INGEST_SOURCES', () => {
  it('parses a source with its mapping', () => {
    const config = loadConfig('ingestor', {
      INGEST_SOURCES: JSON.stringify([{ topic: 'billing.events', type: 'billing', mapping: { key: 'customer.id' } }]),
    });
    expect(config.ingest.sources).toEqual([
      { topic: 'billing.events', format: 'json', type: 'billing', mapping: { key: 'customer.id', payload: '$' } },
    ]);
  });

  it('names the variable when the JSON or a mapping is bad', () => {
    expect(() => loadConfig('ingestor', { INGEST_SOURCES: '[{' })).toThrow(/INGEST_SOURCES: not valid JSON/);
    expect(() =>
      loadConfig('ingestor', { INGEST_SOURCES: JSON.stringify([{ topic: 't', mapping: { key: 'a..b' } }]) }),
    ).toThrow(/INGEST_SOURCES/);
  });
});

describe('retry settings', () => {
  it('defaults to the seed policy, real time and the standard tiers', () => {
    const { retry } = loadConfig('retrier', {});
    expect(retry.timeScale).toBe(1);
    expect(retry.policyOverrides).toEqual({});
    expect(retry.delayTiersMs).toEqual([1000, 5000, 30_000, 60_000, 300_000, 900_000, 3_600_000]);
    expect(retry.keyCircuitCooldownMs).toBe(1_800_000);
  });

  it('parses overrides, tiers and scales the key circuit', () => {
    const { retry } = loadConfig('retrier', {
      TIME_SCALE: '0.01',
      RETRY_POLICY: '{"API_ERROR":{"maxAttempts":7}}',
      DELAY_TIERS: '100ms, 1s,1m',
      KEY_CIRCUIT_COOLDOWN: '10m',
    });
    expect(retry.policyOverrides).toEqual({ API_ERROR: { maxAttempts: 7 } });
    expect(retry.delayTiersMs).toEqual([100, 1000, 60_000]);
    expect(retry.keyCircuitCooldownMs).toBe(6000);
  });

  it('names the variable at fault', () => {
    expect(() => loadConfig('retrier', { TIME_SCALE: '2' })).toThrow(/TIME_SCALE: must be at most 1/);
    expect(() => loadConfig('retrier', { DELAY_TIERS: '5s,1s' })).toThrow(/DELAY_TIERS: tiers must be strictly increasing/);
    expect(() => loadConfig('retrier', { DELAY_TIERS: '5 sec' })).toThrow(/DELAY_TIERS/);
    expect(() => loadConfig('retrier', { RETRY_POLICY: '{"API_ERROR":{"maxAttempts":0}}' })).toThrow(/RETRY_POLICY/);
  });
});
