import { formatEnvExports, formatStatusReport } from './stack-output';

const endpoints = {
  kafkaBrokers: '127.0.0.1:9092',
  schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
  redisUrl: 'redis://127.0.0.1:6379',
};

describe('formatEnvExports', () => {
  it('prints lines a shell can export', () => {
    expect(formatEnvExports(endpoints)).toBe(
      [
        'export KAFKA_BROKERS=127.0.0.1:9092',
        'export SCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7',
        'export REDIS_URL=redis://127.0.0.1:6379',
      ].join('\n'),
    );
  });
});

describe('formatStatusReport', () => {
  it("shows each part's state and endpoint and says when not all are ready", () => {
    const report = formatStatusReport({
      ...endpoints,
      mode: 'local',
      ready: false,
      stackDir: '/repo/.stack',
      versions: { kafka: 'Kafka 3.9.1', schemaRegistry: 'unknown', redis: 'Redis 7.0.15' },
      components: [
        { name: 'kafka', label: 'Kafka', state: 'running', ready: true, endpoint: '127.0.0.1:9092', version: 'Kafka 3.9.1', pid: 10, logFile: '/repo/.stack/logs/kafka.log' },
        { name: 'schema-registry', label: 'Schema registry', state: 'stopped', ready: false, endpoint: endpoints.schemaRegistryUrl },
        { name: 'redis', label: 'Redis', state: 'external', ready: true, endpoint: endpoints.redisUrl, version: 'Redis 7.0.15' },
      ],
    });
    expect(report).toContain('NOT all ready');
    expect(report).toMatch(/Kafka\s+running\s+127\.0\.0\.1:9092\s+Kafka 3\.9\.1, pid 10/);
    expect(report).toMatch(/Schema registry\s+stopped\s+http:\/\/127\.0\.0\.1:8081\/apis\/ccompat\/v7/);
    expect(report).toMatch(/Redis\s+external\s+redis:\/\/127\.0\.0\.1:6379/);
    expect(report).toContain('export KAFKA_BROKERS=127.0.0.1:9092');
  });
});
