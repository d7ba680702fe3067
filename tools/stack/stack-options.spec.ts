import { InvalidStackSettingError } from './errors';
import { DEFAULT_KAFKA_VERSION } from './kafka-version';
import { DEFAULT_READY_TIMEOUT_MS, parseStackMode, parseStackParts, resolveStackOptions } from './stack-options';

describe('parseStackMode', () => {
  it('accepts auto, local and docker in any case, and nothing for unset', () => {
    expect(parseStackMode('Docker')).toBe('docker');
    expect(parseStackMode(' local ')).toBe('local');
    expect(parseStackMode(undefined)).toBeUndefined();
    expect(parseStackMode('')).toBeUndefined();
  });

  it('names the variable and the choices for anything else', () => {
    expect(() => parseStackMode('kubernetes')).toThrow('STACK_MODE must be one of auto, local, docker; got "kubernetes".');
  });
});

describe('parseStackParts', () => {
  it('reads a comma-separated list in report order', () => {
    expect(parseStackParts('redis,Kafka')).toEqual(['kafka', 'redis']);
    expect(parseStackParts(undefined)).toBeUndefined();
  });

  it('names the setting and the choices for an unknown part', () => {
    expect(() => parseStackParts('kafka,zk', '--only')).toThrow('--only must be a comma-separated list of kafka, schema-registry, redis; got "kafka,zk".');
  });
});

describe('resolveStackOptions', () => {
  it('defaults to auto mode, .stack under the repository and the standard ports', () => {
    const options = resolveStackOptions({ env: { HOME: '/home/dev' }, repoRoot: '/repo' });
    expect(options).toMatchObject({
      requestedMode: 'auto',
      modeExplicit: false,
      stackDir: '/repo/.stack',
      readyTimeoutMs: DEFAULT_READY_TIMEOUT_MS,
      ports: { kafka: 9092, kafkaController: 9093, schemaRegistry: 8081, redis: 6379 },
      kafkaBrokers: 1,
      parts: ['kafka', 'schema-registry', 'redis'],
    });
    expect(options.kafkaVersion.text).toBe(DEFAULT_KAFKA_VERSION);
  });

  it('reads KAFKA_VERSION, STACK_KAFKA_BROKERS, STACK_ONLY and the STACK_*_PORT variables', () => {
    const options = resolveStackOptions({
      repoRoot: '/repo',
      env: {
        KAFKA_VERSION: '3.9.1',
        STACK_KAFKA_BROKERS: '3',
        STACK_ONLY: 'redis, kafka',
        STACK_KAFKA_PORT: '19192',
        STACK_KAFKA_CONTROLLER_PORT: '19193',
        STACK_SCHEMA_REGISTRY_PORT: '18081',
        STACK_REDIS_PORT: '16379',
      },
    });
    expect(options.kafkaVersion).toMatchObject({ text: '3.9.1', major: 3 });
    expect(options.kafkaBrokers).toBe(3);
    expect(options.parts).toEqual(['kafka', 'redis']);
    expect(options.ports).toEqual({ kafka: 19192, kafkaController: 19193, schemaRegistry: 18081, redis: 16379 });
  });

  it('lets options win over the environment', () => {
    const options = resolveStackOptions({
      env: { KAFKA_VERSION: '3.9.1', STACK_KAFKA_BROKERS: '3', STACK_KAFKA_PORT: '19192' },
      kafkaVersion: '4.4.0',
      kafkaBrokers: 1,
      ports: { kafka: 29092 },
      only: ['kafka'],
    });
    expect(options).toMatchObject({ kafkaBrokers: 1, parts: ['kafka'] });
    expect(options.kafkaVersion.text).toBe('4.4.0');
    expect(options.ports.kafka).toBe(29092);
  });

  it('names the variable of a bad Kafka setting', () => {
    expect(() => resolveStackOptions({ env: { KAFKA_VERSION: '2.8.0' } })).toThrow(/^KAFKA_VERSION must be/);
    expect(() => resolveStackOptions({ env: { STACK_KAFKA_BROKERS: '2' } })).toThrow('STACK_KAFKA_BROKERS must be one of 1, 3; got "2".');
    expect(() => resolveStackOptions({ env: { STACK_KAFKA_PORT: '70000' } })).toThrow(/^STACK_KAFKA_PORT must be a TCP port/);
    expect(() => resolveStackOptions({ env: { STACK_ONLY: 'zookeeper' } })).toThrow(InvalidStackSettingError);
  });

  it('reads STACK_MODE, STACK_DIR, STACK_READY_TIMEOUT_MS and the cache folder from the environment', () => {
    const options = resolveStackOptions({
      repoRoot: '/repo',
      env: { STACK_MODE: 'local', STACK_DIR: '/tmp/stack', STACK_READY_TIMEOUT_MS: '5000', XDG_CACHE_HOME: '/cache' },
    });
    expect(options).toMatchObject({ requestedMode: 'local', modeExplicit: true, stackDir: '/tmp/stack', readyTimeoutMs: 5000 });
    expect(options.cacheDir).toBe('/cache/workpipe');
  });

  it('rejects a timeout that is not a positive integer', () => {
    expect(() => resolveStackOptions({ env: { STACK_READY_TIMEOUT_MS: 'soon' } })).toThrow(/STACK_READY_TIMEOUT_MS/);
  });
});
