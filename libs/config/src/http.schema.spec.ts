import { ConfigError } from './errors/config-error';
import { loadConfig } from './load-config';

describe('HTTP settings', () => {
  it('defaults to bounded timeouts and small bodies but for submissions', () => {
    expect(loadConfig('ingestor', {}).http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxHeaderBytes: 16_384,
      bodyLimits: { default: 65_536, item: 1_048_576, batch: 16_777_216 },
      maxJsonDepth: 64,
      metricsOpen: false,
      docsOpen: false,
    });
  });

  it('listens on every interface once keys are set, on loopback without them, unless HTTP_HOST says otherwise', () => {
    expect(loadConfig('stats', { API_KEYS: 'reader-key-1:read' }).http.host).toBe('0.0.0.0');
    expect(loadConfig('stats', {}).http.host).toBe('127.0.0.1');
    expect(loadConfig('stats', { HTTP_HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(loadConfig('stats', { API_KEYS: 'reader-key-1', HTTP_HOST: '10.1.2.3' }).http.host).toBe('10.1.2.3');
  });

  it('opens /metrics and /docs only when told to', () => {
    expect(loadConfig('stats', { METRICS_OPEN: 'true', DOCS_OPEN: 'yes' }).http).toMatchObject({ metricsOpen: true, docsOpen: true });
  });

  it('refuses a headers timeout above the request timeout, and bad values, naming the variable', () => {
    const issuesOf = (env: Record<string, string>) => {
      try {
        loadConfig('stats', env);
      } catch (error) {
        if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.variable}: ${issue.message}`);
      }
      return [];
    };
    expect(issuesOf({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toEqual(['HTTP_HEADERS_TIMEOUT_MS: must not be above HTTP_REQUEST_TIMEOUT_MS']);
    expect(issuesOf({ HTTP_JSON_MAX_DEPTH: '2', HTTP_MAX_HEADER_BYTES: '10' }).sort()).toEqual(['HTTP_JSON_MAX_DEPTH: must be at least 8', 'HTTP_MAX_HEADER_BYTES: must be at least 1024']);
  });
});
