import { HttpWorkTypeSchema } from '@workpipe/config';
import type { WorkItem } from '@workpipe/contracts';
import { classifyThrown } from '@workpipe/failure-classification';
import { createLogger } from '@workpipe/logging';
import type { HandlerContext } from '../work-handler';
import { InvalidHttpWorkTypeError } from './errors/invalid-http-work-type-error';
import { HttpWorkHandler } from './http-work-handler';

const SECRET = 'PLANTEDs3cr3t';

const settings = HttpWorkTypeSchema.parse({
  handler: 'http',
  url: 'https://api.example.com/t/{portfolioId}/report?date={date}',
  headers: { authorization: `Bearer ${SECRET}`, 'x-tenant': '{tenant}' },
});

function itemWith(payload: Record<string, unknown>): WorkItem.Value {
  return {
    itemId: 'i-1',
    key: 'k-1',
    type: 'report',
    payload,
    attempt: 1,
    createdAt: new Date(0).toISOString(),
    correlationId: 'c-1',
    history: [],
  };
}

const context: HandlerContext = {
  signal: new AbortController().signal,
  logger: createLogger({ service: 'test', level: 'silent' }),
  reportRateLimit: () => undefined,
};

/** What `handle` threw, classified as the processor records it. */
async function failureOf(handler: HttpWorkHandler, payload: Record<string, unknown>) {
  try {
    await handler.handle(itemWith(payload), context);
  } catch (error) {
    return classifyThrown(error);
  }
  throw new Error('expected a failure');
}

describe('HttpWorkHandler', () => {
  let fetchMock: jest.SpiedFunction<typeof fetch>;

  beforeEach(() => {
    fetchMock = jest.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response('{"rows":[1,2]}', { status: 200, headers: { 'content-type': 'application/json' } }));
  });
  afterEach(() => fetchMock.mockRestore());

  it('calls the filled URL with the configured headers, not following redirects', async () => {
    const result = await new HttpWorkHandler(settings).handle(itemWith({ portfolioId: 'PF 1', date: '2026-11-22', tenant: 't1' }), context);
    expect(result.summary).toMatchObject({ status: 200, rows: 2 });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('https://api.example.com/t/PF%201/report?date=2026-11-22');
    expect(init).toMatchObject({ method: 'GET', redirect: 'manual' });
    expect(init.headers).toEqual({ accept: 'application/json', 'x-correlation-id': 'c-1', authorization: `Bearer ${SECRET}`, 'x-tenant': 't1' });
  });

  it.each(['..', '.', ''])('fails a path value %j with VALIDATION and sends nothing', async (portfolioId) => {
    const failure = await failureOf(new HttpWorkHandler(settings), { portfolioId, date: 'x', tenant: 't1' });
    expect(failure).toMatchObject({ type: 'VALIDATION', retryable: false });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('fails a header value that would inject a header with VALIDATION naming the header, not the value', async () => {
    const failure = await failureOf(new HttpWorkHandler(settings), { portfolioId: 'PF1', date: 'x', tenant: `${SECRET}\r\nX-Injected: 1` });
    expect(failure).toEqual({
      type: 'VALIDATION',
      message: 'request header "x-tenant" would have an invalid value (a control character or a character above U+00FF; not shown)',
      code: 'INVALID_HEADER_VALUE',
      retryable: false,
    });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('does not follow a redirect: a 3xx is a failure', async () => {
    fetchMock.mockImplementation(async () => new Response(null, { status: 302, headers: { location: 'https://evil.example.com/' } }));
    const failure = await failureOf(new HttpWorkHandler(settings), { portfolioId: 'PF1', date: 'x', tenant: 't1' });
    expect(failure).toMatchObject({ type: 'PROCESSING_ERROR', code: 'HTTP_302' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('keeps what fetch throws out of the failure message', async () => {
    fetchMock.mockImplementation(async () => {
      throw new TypeError(`Headers.append: "${SECRET}" is an invalid header value.`);
    });
    const failure = await failureOf(new HttpWorkHandler(settings), { portfolioId: 'PF1', date: 'x', tenant: 't1' });
    expect(failure.message).not.toContain(SECRET);
  });

  it('names its downstream after the template host', () => {
    expect(new HttpWorkHandler(settings).downstream).toBe('api.example.com');
    expect(new HttpWorkHandler({ ...settings, downstream: 'reports' }).downstream).toBe('reports');
  });

  it('refuses to start with a URL template whose host is a placeholder', () => {
    expect(() => new HttpWorkHandler({ ...settings, url: 'https://{host}/t/{portfolioId}' }, 'report')).toThrow(InvalidHttpWorkTypeError);
  });
});
