import { Alert } from '@workpipe/contracts';
import { createLogger, loggerOptions } from '@workpipe/logging';
import pino from 'pino';
import { alertEventOf } from './alert-event';
import { AlertWebhook } from './alert-webhook';

const alert: Alert.Value = alertEventOf({
  rule: 'LOW_SUCCESS_RATE',
  status: 'RAISED',
  incidentId: 'LOW_SUCCESS_RATE-1',
  severity: 'critical',
  unit: 'ratio',
  value: 0.8,
  threshold: 0.85,
  clearThreshold: 0.87,
  message: 'success rate 80.0% is below 85.0%',
  raisedAtMs: 1,
  atMs: 1,
});

/** A scripted HTTP client: one answer (a status, or an error) per call. */
function scripted(answers: (number | Error)[]): { fetch: typeof fetch; calls: RequestInit[]; urls: string[] } {
  const calls: RequestInit[] = [];
  const urls: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push(init);
    urls.push(url);
    const answer = answers.shift() ?? 200;
    if (answer instanceof Error) throw answer;
    return new Response(null, { status: answer });
  }) as unknown as typeof fetch;
  return { fetch: fetchFn, calls, urls };
}

describe('AlertWebhook', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);

  beforeEach(() => (waits.length = 0));

  it('POSTs the alert as JSON with its id', async () => {
    const http = scripted([204]);
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 1000, retries: 3, fetch: http.fetch }, logger, sleep);
    expect(await webhook.post(alert)).toBe('delivered');
    expect(http.calls[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json', 'x-alert-id': 'LOW_SUCCESS_RATE-1:RAISED' } });
    expect(JSON.parse(http.calls[0]?.body as string)).toEqual(alert);
  });

  it("sends a URL's userinfo as basic authentication, never in the URL", async () => {
    const http = scripted([204]);
    const webhook = new AlertWebhook({ url: 'https://alert%40ops:p%3Ass@hooks.test/a?token=t1', timeoutMs: 1000, retries: 0, fetch: http.fetch }, logger, sleep);
    expect(await webhook.post(alert)).toBe('delivered');
    expect(http.urls).toEqual(['https://hooks.test/a?token=t1']);
    expect((http.calls[0]?.headers as Record<string, string>).authorization).toBe(`Basic ${Buffer.from('alert@ops:p:ss').toString('base64')}`);
  });

  it('retries network errors, 5xx and 429 with doubling backoff', async () => {
    const http = scripted([new Error('ECONNREFUSED'), 503, 429, 200]);
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 1000, retries: 3, fetch: http.fetch }, logger, sleep);
    expect(await webhook.post(alert)).toBe('delivered');
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('gives up after its retries without throwing', async () => {
    const http = scripted([500, 500, 500]);
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 1000, retries: 2, fetch: http.fetch }, logger, sleep);
    expect(await webhook.post(alert)).toBe('failed');
    expect(http.calls).toHaveLength(3);
  });

  it('does not retry a receiver that refuses the alert (4xx)', async () => {
    const http = scripted([400]);
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 1000, retries: 3, fetch: http.fetch }, logger, sleep);
    expect(await webhook.post(alert)).toBe('rejected');
    expect(http.calls).toHaveLength(1);
  });

  it('builds events the Alert contract accepts, with clearedAt only on a clear', () => {
    expect(Alert.Schema.parse(alert)).toEqual(alert);
    expect(alert.clearedAt).toBeUndefined();
    const cleared = alertEventOf({ ...{ rule: 'STUCK_PENDING', incidentId: 'STUCK_PENDING-5', severity: 'warning', unit: 'ms' }, status: 'CLEARED', value: 0, threshold: 3_600_000, clearThreshold: 3_600_000, message: 'ok', raisedAtMs: 5, atMs: 65_000 });
    expect(Alert.Schema.parse(cleared)).toMatchObject({ alertId: 'STUCK_PENDING-5:CLEARED', raisedAt: new Date(5).toISOString(), clearedAt: new Date(65_000).toISOString() });
  });

  describe('never logs the credentials of its URL', () => {
    const SECRET = 'PLANTEDs3cr3t';
    const url = `https://user:${SECRET}@hooks.example.com/a?token=${SECRET}&sig=${SECRET}`;

    function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
      const lines: string[] = [];
      return { logger: pino(loggerOptions({ service: 'test' }), { write: (line: string) => void lines.push(line) }), lines };
    }

    it('when the URL holds credentials: sent as basic authentication, the URL and the error logged redacted', async () => {
      const { logger, lines } = capturingLogger();
      const http = scripted([new Error(`connect ECONNREFUSED ${url}`), 503]);
      const webhook = new AlertWebhook({ url, timeoutMs: 1000, retries: 1, fetch: http.fetch }, logger, sleep);
      expect(await webhook.post(alert)).toBe('failed');
      expect(http.urls).toEqual([`https://hooks.example.com/a?token=${SECRET}&sig=${SECRET}`, `https://hooks.example.com/a?token=${SECRET}&sig=${SECRET}`]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain(SECRET);
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        webhookUrl: 'https://hooks.example.com/a?token=[REDACTED]&sig=[REDACTED]',
        lastError: 'HTTP 503',
      });
    });

    it('when a network error quotes the URL', async () => {
      const { logger, lines } = capturingLogger();
      const http = scripted([new Error(`request to ${url} failed`)]);
      const webhook = new AlertWebhook({ url, timeoutMs: 1000, retries: 0, fetch: http.fetch }, logger, sleep);
      expect(await webhook.post(alert)).toBe('failed');
      expect(lines.join('\n')).not.toContain(SECRET);
    });

    it('when the receiver refuses the alert', async () => {
      const { logger, lines } = capturingLogger();
      const webhook = new AlertWebhook({ url, timeoutMs: 1000, retries: 3, fetch: scripted([401]).fetch }, logger, sleep);
      expect(await webhook.post(alert)).toBe('rejected');
      expect(lines.join('\n')).not.toContain(SECRET);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ status: 401, webhookUrl: 'https://hooks.example.com/a?token=[REDACTED]&sig=[REDACTED]' });
    });
  });
});
