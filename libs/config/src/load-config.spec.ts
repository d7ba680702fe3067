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
      API_KEYS: 'k1,,k2 ',
      LOG_PRETTY: 'YES',
    });
    expect(config.kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(config.apiKeys).toEqual(['k1', 'k2']);
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
