import { request as httpRequest, type ClientRequest } from 'node:http';
import { SimulatorOptionError } from './errors/simulator-option-error';
import { FailureProfileError } from './errors/failure-profile-error';
import type { FailureProfileSource } from './load-failure-profile';
import { startSimulator, type SimulatorHandle } from './start-simulator';
import { waitFor } from './testing/wait-for';

/** No latency, so the specs run at loopback speed. */
function fast(profile: FailureProfileSource): FailureProfileSource {
  return { latencyMs: [0, 0], ...profile };
}

async function getReport(simulator: SimulatorHandle, portfolioId: string, date = '2025-09-02'): Promise<Response> {
  return fetch(`${simulator.url}/portfolios/${portfolioId}/profitability-report?date=${date}`);
}

/** Starts a GET that the test can abort by destroying the socket, as a client timing out does. */
function openRequest(url: string): { request: ClientRequest; settled: Promise<string> } {
  let request!: ClientRequest;
  const settled = new Promise<string>((resolve) => {
    request = httpRequest(url, (response) => {
      response.resume();
      response.on('end', () => resolve(`status ${response.statusCode}`));
    });
    request.on('error', (error) => resolve(`error ${error.message}`));
    request.end();
  });
  return { request, settled };
}

describe('downstream simulator over HTTP', () => {
  let simulator: SimulatorHandle;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0, profile: fast({ extends: 'healthy' }) });
  });

  afterAll(async () => {
    await simulator.close();
  });

  beforeEach(() => {
    simulator.reset({ seed: 42, profile: fast({ extends: 'healthy' }) });
  });

  it('listens on a free loopback port', () => {
    expect(simulator.port).toBeGreaterThan(0);
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
  });

  it('answers /health', async () => {
    const response = await fetch(`${simulator.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('lists the 104 portfolios', async () => {
    const response = await fetch(`${simulator.url}/portfolios`);
    const body = (await response.json()) as { count: number; portfolios: Array<{ portfolioId: string; name: string }> };
    expect(body.count).toBe(104);
    expect(body.portfolios[0]).toEqual({ portfolioId: 'PF-0001', name: 'FUNDO ALFA RENDA FIXA 01' });
  });

  it('serves the report with rows on ok', async () => {
    const response = await getReport(simulator, 'PF-0001');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown> & { rows: Array<Record<string, unknown>> };
    expect(body).toMatchObject({
      portfolioId: 'PF-0001',
      portfolioName: 'FUNDO ALFA RENDA FIXA 01',
      reportDate: '2025-09-02',
      currency: 'BRL',
    });
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.rows[0]).toEqual(
      expect.objectContaining({ period: 'month', returnPct: expect.any(Number), benchmarkPct: expect.any(Number) }),
    );
    // Same portfolio and date, same figures: a retry gets the report the first call would have.
    expect(await (await getReport(simulator, 'PF-0001')).json()).toEqual(body);
  });

  it('answers 404 for an unknown portfolio and 400 for an invalid date, without counting a call', async () => {
    const unknown = await getReport(simulator, 'PF-9999');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 'PORTFOLIO_NOT_FOUND', message: 'unknown portfolio PF-9999', portfolioId: 'PF-9999' },
    });
    const badDate = await getReport(simulator, 'PF-0001', '2025-02-30');
    expect(badDate.status).toBe(400);
    const stats = simulator.stats();
    expect([stats.notFound, stats.invalidRequests, stats.totalCalls]).toEqual([1, 1, 0]);
  });

  it('answers 500 with a JSON error on server_error', async () => {
    simulator.reset({ profile: fast({ extends: 'always-server_error' }) });
    const response = await getReport(simulator, 'PF-0001');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'INTERNAL_SERVER_ERROR', message: 'simulated upstream failure', portfolioId: 'PF-0001', callIndex: 1 },
    });
  });

  it('answers 429 with Retry-After and X-RateLimit-* on rate_limited', async () => {
    simulator.reset({ profile: fast({ extends: 'always-rate_limited', retryAfterSeconds: 7 }) });
    const response = await getReport(simulator, 'PF-0001');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('x-ratelimit-limit')).toBe('60');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset')).toBe('7');
  });

  it('answers 200 with no rows on empty_report', async () => {
    simulator.reset({ profile: fast({ extends: 'always-empty_report' }) });
    const response = await getReport(simulator, 'PF-0002');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ portfolioId: 'PF-0002', rows: [] });
  });

  it('answers 401 with WWW-Authenticate on unauthorized', async () => {
    simulator.reset({ profile: fast({ extends: 'always-unauthorized' }) });
    const response = await getReport(simulator, 'PF-0001');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('answers 200 labelled JSON with a body that does not parse on malformed', async () => {
    simulator.reset({ profile: fast({ extends: 'always-malformed' }) });
    const response = await getReport(simulator, 'PF-0001');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(text.startsWith('{"portfolioId":"PF-0001"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('answers 400 on bad_request', async () => {
    simulator.reset({ profile: fast({ extends: 'always-bad_request' }) });
    expect((await getReport(simulator, 'PF-0001')).status).toBe(400);
  });

  it('holds a timeout for timeoutHoldMs, then answers 504', async () => {
    simulator.reset({ profile: fast({ extends: 'always-timeout', timeoutHoldMs: 50 }) });
    const response = await getReport(simulator, 'PF-0001');
    expect(response.status).toBe(504);
    expect(simulator.stats().inFlight).toBe(0);
  });

  it('releases a held timeout as soon as the client goes away', async () => {
    simulator.reset({ profile: fast({ extends: 'always-timeout', timeoutHoldMs: 60_000 }) });
    const { request, settled } = openRequest(`${simulator.url}/portfolios/PF-0001/profitability-report`);
    await waitFor(() => simulator.stats().inFlight === 1, { timeoutMs: 2000 });
    request.destroy();
    await expect(settled).resolves.toMatch(/^error/);
    await waitFor(() => simulator.stats().inFlight === 0, { timeoutMs: 2000 });
    expect(simulator.stats().byOutcome.timeout).toBe(1);
  });

  it('plays a script: PF-0007 gets 500 then 200', async () => {
    simulator.reset({ profile: fast({ extends: 'healthy', script: { 'PF-0007': ['server_error', 'ok'] } }) });
    const first = await getReport(simulator, 'PF-0007');
    const second = await getReport(simulator, 'PF-0007');
    expect([first.status, second.status]).toEqual([500, 200]);
    expect([first.headers.get('x-simulator-call-index'), second.headers.get('x-simulator-call-index')]).toEqual(['1', '2']);
  });

  it('counts calls per outcome and per portfolio, and resets them', async () => {
    simulator.reset({ profile: fast({ extends: 'healthy', script: { 'PF-0001': ['server_error'] } }) });
    await getReport(simulator, 'PF-0001');
    await getReport(simulator, 'PF-0001');
    await getReport(simulator, 'PF-0002');
    const stats = await (await fetch(`${simulator.url}/admin/stats`)).json();
    expect(stats).toMatchObject({
      seed: 42,
      totalCalls: 3,
      byOutcome: { ok: 2, server_error: 1, timeout: 0 },
      callsByPortfolio: { 'PF-0001': 2, 'PF-0002': 1 },
      alwaysFailing: [],
    });
    const reset = await fetch(`${simulator.url}/admin/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(simulator.stats()).toMatchObject({ totalCalls: 0, callsByPortfolio: {} });
    // Counters restart: PF-0001's next call is call 1 again, and the script replays.
    expect((await getReport(simulator, 'PF-0001')).status).toBe(500);
  });

  it('takes a new seed and profile in POST /admin/reset', async () => {
    const response = await fetch(`${simulator.url}/admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 7, profile: { extends: 'always-unauthorized', latencyMs: [0, 0] } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ seed: 7, profileName: 'always-unauthorized', totalCalls: 0 });
    expect((await getReport(simulator, 'PF-0001')).status).toBe(401);
  });

  it('refuses an invalid reset, a file path included, and keeps the current settings', async () => {
    const post = (body: string): Promise<Response> => fetch(`${simulator.url}/admin/reset`, { method: 'POST', body });
    const invalidProfile = await post(JSON.stringify({ profile: { firstCallFaultRate: 3 } }));
    expect(invalidProfile.status).toBe(400);
    expect(await invalidProfile.json()).toMatchObject({ error: { code: 'INVALID_PROFILE' } });
    expect((await post(JSON.stringify({ profile: '/etc/hosts' }))).status).toBe(400);
    expect((await post(JSON.stringify({ seed: -1 }))).status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
    expect(simulator.stats()).toMatchObject({ seed: 42, profileName: 'healthy' });
  });

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    expect((await fetch(`${simulator.url}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${simulator.url}/admin/reset`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('determinism over HTTP', () => {
  const portfolioIds = Array.from({ length: 10 }, (_unused, index) => `PF-${String(index + 1).padStart(4, '0')}`);
  const callsPerPortfolio = 3;
  // The seed preset, answered at once (timeouts included) so the spec stays fast.
  const profile = fast({ extends: 'seed', timeoutHoldMs: 0 });

  async function outcomes(seed: number, order: 'round-robin' | 'portfolio-by-portfolio'): Promise<Map<string, string>> {
    const simulator = await startSimulator({ seed, profile });
    const seen = new Map<string, string>();
    const call = async (portfolioId: string): Promise<void> => {
      const response = await getReport(simulator, portfolioId);
      await response.arrayBuffer();
      seen.set(`${portfolioId}#${response.headers.get('x-simulator-call-index')}`, `${response.status}`);
    };
    try {
      if (order === 'round-robin') {
        for (let round = 0; round < callsPerPortfolio; round += 1) {
          await Promise.all(portfolioIds.map(call));
        }
      } else {
        for (const portfolioId of [...portfolioIds].reverse()) {
          for (let round = 0; round < callsPerPortfolio; round += 1) {
            await call(portfolioId);
          }
        }
      }
    } finally {
      await simulator.close();
    }
    return new Map([...seen.entries()].sort());
  }

  it('gives each portfolio the same sequence whatever the interleaving, and another with another seed', async () => {
    const roundRobin = await outcomes(42, 'round-robin');
    const sequential = await outcomes(42, 'portfolio-by-portfolio');
    expect(roundRobin.size).toBe(portfolioIds.length * callsPerPortfolio);
    expect(new Set(roundRobin.values()).size).toBeGreaterThan(1);
    expect(sequential).toEqual(roundRobin);
    const otherSeed = await outcomes(4242, 'portfolio-by-portfolio');
    expect(otherSeed).not.toEqual(roundRobin);
  });
});

describe('simulator rate limit', () => {
  it('answers 429 with Retry-After beyond rateLimitPerSecond, without using up a call index', async () => {
    let clock = Date.parse('2025-09-02T12:00:00.250Z');
    const simulator = await startSimulator({
      profile: fast({ extends: 'healthy' }),
      rateLimitPerSecond: 2,
      now: () => clock,
    });
    try {
      const first = await getReport(simulator, 'PF-0001');
      expect(first.status).toBe(200);
      expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
      expect((await getReport(simulator, 'PF-0001')).status).toBe(200);
      const throttled = await getReport(simulator, 'PF-0001');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('1');
      expect(throttled.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(throttled.headers.get('x-ratelimit-reset')).toBe('1');
      clock += 1000;
      const next = await getReport(simulator, 'PF-0001');
      expect(next.status).toBe(200);
      expect(next.headers.get('x-simulator-call-index')).toBe('3');
      expect(simulator.stats()).toMatchObject({ throttled: 1, totalCalls: 3 });
    } finally {
      await simulator.close();
    }
  });
});

describe('simulator lifecycle', () => {
  it('closes promptly with a response still held, dropping its client', async () => {
    const simulator = await startSimulator({ profile: fast({ extends: 'always-timeout', timeoutHoldMs: 60_000 }) });
    const { settled } = openRequest(`${simulator.url}/portfolios/PF-0001/profitability-report`);
    await waitFor(() => simulator.stats().inFlight === 1, { timeoutMs: 2000 });
    await simulator.close();
    await expect(settled).resolves.toMatch(/^error/);
    expect(simulator.stats().inFlight).toBe(0);
    await expect(simulator.close()).resolves.toBeUndefined();
  });

  it('rejects invalid options with typed errors', async () => {
    await expect(startSimulator({ port: 70_000 })).rejects.toThrow(SimulatorOptionError);
    await expect(startSimulator({ seed: -1 })).rejects.toThrow(SimulatorOptionError);
    await expect(startSimulator({ rateLimitPerSecond: 0 })).rejects.toThrow(SimulatorOptionError);
    await expect(startSimulator({ profile: 'no-such-preset' })).rejects.toThrow(FailureProfileError);
  });

  it('rejects when the port is taken', async () => {
    const first = await startSimulator();
    try {
      await expect(startSimulator({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
