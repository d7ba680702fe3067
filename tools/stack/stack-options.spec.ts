import { DEFAULT_READY_TIMEOUT_MS, parseStackMode, resolveStackOptions } from './stack-options';

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

describe('resolveStackOptions', () => {
  it('defaults to auto mode, .stack under the repository and the standard ports', () => {
    const options = resolveStackOptions({ env: { HOME: '/home/dev' }, repoRoot: '/repo' });
    expect(options).toMatchObject({
      requestedMode: 'auto',
      modeExplicit: false,
      stackDir: '/repo/.stack',
      readyTimeoutMs: DEFAULT_READY_TIMEOUT_MS,
      ports: { kafka: 9092, kafkaController: 9093, schemaRegistry: 8081, redis: 6379 },
    });
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
