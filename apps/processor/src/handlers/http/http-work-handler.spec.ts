import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWorkTypeSchema } from '@workpipe/config';
import type { WorkItem } from '@workpipe/contracts';
import { classifyThrown } from '@workpipe/failure-classification';
import { createLogger } from '@workpipe/logging';
import type { HandlerContext } from '../work-handler';
import { InvalidHttpWorkTypeError } from './errors/invalid-http-work-type-error';
import { HttpWorkHandler } from './http-work-handler';

const SECRET = 'PLANTEDs3cr3t';

const template = {
  handler: 'http',
  url: 'https://api.example.com/t/{portfolioId}/report?date={date}',
  headers: { authorization: `Bearer ${SECRET}`, 'x-tenant': '{tenant}' },
};
const settings = HttpWorkTypeSchema.parse(template);

/** A local downstream that records each request and answers with `answer`. */
class RecordingDownstream {
  readonly requests: { url: string; method: string; headers: IncomingMessage['headers'] }[] = [];
  answer: (response: ServerResponse) => void = (response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"rows":[1,2]}');
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests.push({ url: request.url ?? '', method: request.method ?? '', headers: request.headers });
      this.answer(response);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

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
  const downstream = new RecordingDownstream();
  let local: ReturnType<typeof HttpWorkTypeSchema.parse>;

  beforeAll(async () => {
    await downstream.start();
    local = HttpWorkTypeSchema.parse({ ...template, url: `${downstream.url}/t/{portfolioId}/report?date={date}` });
  });
  afterAll(() => downstream.stop());
  beforeEach(() => {
    downstream.requests.splice(0);
    downstream.answer = (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"rows":[1,2]}');
  });

  it('calls the filled URL with the configured headers', async () => {
    const result = await new HttpWorkHandler(local).handle(itemWith({ portfolioId: 'PF 1', date: '2026-11-22', tenant: 't1' }), context);
    expect(result.summary).toMatchObject({ status: 200, rows: 2, contentType: 'application/json' });
    expect(downstream.requests).toHaveLength(1);
    expect(downstream.requests[0]).toMatchObject({
      method: 'GET',
      url: '/t/PF%201/report?date=2026-11-22',
      headers: { accept: 'application/json', 'x-correlation-id': 'c-1', authorization: `Bearer ${SECRET}`, 'x-tenant': 't1' },
    });
  });

  it.each(['..', '.', ''])('fails a path value %j with VALIDATION and sends nothing', async (portfolioId) => {
    const failure = await failureOf(new HttpWorkHandler(local), { portfolioId, date: 'x', tenant: 't1' });
    expect(failure).toMatchObject({ type: 'VALIDATION', retryable: false });
    expect(downstream.requests).toHaveLength(0);
  });

  it('fails a header value that would inject a header with VALIDATION naming the header, not the value', async () => {
    const failure = await failureOf(new HttpWorkHandler(local), { portfolioId: 'PF1', date: 'x', tenant: `${SECRET}\r\nX-Injected: 1` });
    expect(failure).toEqual({
      type: 'VALIDATION',
      message: 'request header "x-tenant" would have an invalid value (a control character or a character above U+00FF; not shown)',
      code: 'INVALID_HEADER_VALUE',
      retryable: false,
    });
    expect(downstream.requests).toHaveLength(0);
  });

  it('does not follow a redirect: a 3xx is a failure', async () => {
    downstream.answer = (response) => response.writeHead(302, { location: 'https://evil.example.com/' }).end();
    const failure = await failureOf(new HttpWorkHandler(local), { portfolioId: 'PF1', date: 'x', tenant: 't1' });
    expect(failure).toMatchObject({ type: 'PROCESSING_ERROR', code: 'HTTP_302' });
    expect(downstream.requests).toHaveLength(1);
  });

  it('turns no complete answer within timeoutMs into TIMEOUT', async () => {
    downstream.answer = () => undefined; // never answers
    const quick = HttpWorkTypeSchema.parse({ ...template, url: `${downstream.url}/t/{portfolioId}`, timeoutMs: 100 });
    const failure = await failureOf(new HttpWorkHandler(quick), { portfolioId: 'PF1', tenant: 't1' });
    expect(failure).toMatchObject({ type: 'TIMEOUT', retryable: true });
  });

  it('turns a refused connection into a retryable API_ERROR', async () => {
    const closed = HttpWorkTypeSchema.parse({ ...template, url: 'http://127.0.0.1:9/t/{portfolioId}' });
    const failure = await failureOf(new HttpWorkHandler(closed), { portfolioId: 'PF1', tenant: 't1' });
    expect(failure).toMatchObject({ type: 'API_ERROR', retryable: true });
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
