import { Alert } from '@workpipe/contracts';
import { loggerOptions } from '@workpipe/logging';
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
  it('POSTs the alert as JSON with its id', async () => {
    const http = scripted([204]);
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 1000, fetch: http.fetch });
    expect(await webhook.post(alert)).toEqual({ ok: true, status: 204 });
    expect(http.calls[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json', 'x-alert-id': 'LOW_SUCCESS_RATE-1:RAISED' } });
    expect(JSON.parse(http.calls[0]?.body as string)).toEqual(alert);
  });

  it("sends a URL's userinfo as basic authentication, never in the URL", async () => {
    const http = scripted([204]);
    const webhook = new AlertWebhook({ url: 'https://alert%40ops:p%3Ass@hooks.test/a?token=t1', timeoutMs: 1000, fetch: http.fetch });
    expect(await webhook.post(alert)).toMatchObject({ ok: true });
    expect(http.urls).toEqual(['https://hooks.test/a?token=t1']);
    expect((http.calls[0]?.headers as Record<string, string>).authorization).toBe(`Basic ${Buffer.from('alert@ops:p:ss').toString('base64')}`);
  });

  it('answers a failed try, once, for any answer but a 2xx and for a connection error, never throwing', async () => {
    const http = scripted([500, 503, 429, 404, 302, new Error('connect ECONNREFUSED 127.0.0.1:1')]);
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 1000, fetch: http.fetch });
    const tries = [];
    for (let i = 0; i < 6; i++) tries.push(await webhook.post(alert));
    expect(tries).toEqual([
      { ok: false, error: 'HTTP 500' },
      { ok: false, error: 'HTTP 503' },
      { ok: false, error: 'HTTP 429' },
      { ok: false, error: 'HTTP 404' },
      { ok: false, error: 'HTTP 302' },
      { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:1' },
    ]);
    expect(http.calls).toHaveLength(6);
  });

  it('cuts off a receiver that never answers at the timeout', async () => {
    let signal: AbortSignal | undefined;
    // Accepts the request and never answers: only the signal ends it.
    const hanging = ((_url: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }) as unknown as typeof fetch;
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 50, fetch: hanging });
    expect(await webhook.post(alert)).toEqual({ ok: false, error: 'no answer within 50 ms (timed out)' });
    expect(signal?.aborted).toBe(true);
  });

  it('cuts off a receiver that answers the headers and never the body', async () => {
    const stalling = ((_url: string, init: RequestInit) => {
      const body = new ReadableStream({ start: (controller) => init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason)) });
      return Promise.resolve(new Response(body, { status: 200 }));
    }) as unknown as typeof fetch;
    const webhook = new AlertWebhook({ url: 'http://hooks.test/a', timeoutMs: 50, fetch: stalling });
    expect(await webhook.post(alert)).toEqual({ ok: false, error: 'no answer within 50 ms (timed out)' });
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

    /** A line as the dispatcher logs a failed try (its fields: the webhook's redacted URL and error), through the services' logger options. */
    function loggedLine(webhook: AlertWebhook, error: string): string {
      const lines: string[] = [];
      pino(loggerOptions({ service: 'test' }), { write: (line: string) => void lines.push(line) }).warn(
        { webhookUrl: webhook.redactedUrl, lastError: error },
        'alert webhook try failed; retrying',
      );
      return lines[0] as string;
    }

    it('when the URL holds credentials: sent as basic authentication, the URL and the error logged redacted', async () => {
      const http = scripted([new Error(`connect ECONNREFUSED ${url}`), 503]);
      const webhook = new AlertWebhook({ url, timeoutMs: 1000, fetch: http.fetch });
      const first = await webhook.post(alert);
      const second = await webhook.post(alert);
      expect(http.urls).toEqual([`https://hooks.example.com/a?token=${SECRET}&sig=${SECRET}`, `https://hooks.example.com/a?token=${SECRET}&sig=${SECRET}`]);
      expect(webhook.redactedUrl).toBe('https://hooks.example.com/a?token=[REDACTED]&sig=[REDACTED]');
      expect(second).toEqual({ ok: false, error: 'HTTP 503' });
      for (const result of [first, second]) {
        expect(result.ok).toBe(false);
        const line = loggedLine(webhook, (result as { error: string }).error);
        expect(line).not.toContain(SECRET);
        expect(JSON.parse(line)).toMatchObject({ webhookUrl: 'https://hooks.example.com/a?token=[REDACTED]&sig=[REDACTED]' });
      }
    });

    it('when a network error quotes the URL', async () => {
      const webhook = new AlertWebhook({ url, timeoutMs: 1000, fetch: scripted([new Error(`request to ${url} failed`)]).fetch });
      const result = await webhook.post(alert);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(loggedLine(webhook, (result as { error: string }).error)).not.toContain(SECRET);
    });

    it('when the receiver refuses the alert', async () => {
      const webhook = new AlertWebhook({ url, timeoutMs: 1000, fetch: scripted([401]).fetch });
      const result = await webhook.post(alert);
      expect(result).toEqual({ ok: false, error: 'HTTP 401' });
      expect(loggedLine(webhook, 'HTTP 401')).not.toContain(SECRET);
    });
  });
});
