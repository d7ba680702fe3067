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

describe('formatStatusReport for a cluster', () => {
  it('shows one row per broker under the cluster and every broker log', () => {
    const brokers = '127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096';
    const report = formatStatusReport({
      ...endpoints,
      kafkaBrokers: brokers,
      mode: 'local',
      ready: false,
      stackDir: '/repo/.stack',
      versions: { kafka: 'Kafka 4.4.0', schemaRegistry: 'unknown', redis: 'unknown' },
      components: [
        {
          name: 'kafka',
          label: 'Kafka',
          state: 'degraded',
          ready: false,
          endpoint: brokers,
          version: 'Kafka 4.4.0',
          detail: '3 brokers, replication factor 3, min.insync.replicas 2',
          nodes: [
            { index: 0, nodeId: 1, state: 'running', ready: true, endpoint: '127.0.0.1:9092', pid: 10, logFile: '/repo/.stack/logs/kafka.log' },
            { index: 1, nodeId: 2, state: 'stopped', ready: false, endpoint: '127.0.0.1:9094', logFile: '/repo/.stack/logs/kafka-1.log' },
            { index: 2, nodeId: 3, state: 'running', ready: true, endpoint: '127.0.0.1:9096', pid: 12, logFile: '/repo/.stack/logs/kafka-2.log' },
          ],
        },
      ],
    });
    expect(report).toMatch(/Kafka\s+degraded\s+127\.0\.0\.1:9092,127\.0\.0\.1:9094,127\.0\.0\.1:9096\s+Kafka 4\.4\.0, 3 brokers/);
    expect(report).toMatch(/ {4}broker 1\s+stopped\s+127\.0\.0\.1:9094\s+node\.id 2/);
    expect(report).toMatch(/broker 2\s+running\s+127\.0\.0\.1:9096\s+node\.id 3, pid 12/);
    expect(report).toMatch(/kafka broker 1\s+\/repo\/\.stack\/logs\/kafka-1\.log/);
    expect(report).toContain(`export KAFKA_BROKERS=${brokers}`);
  });
});
