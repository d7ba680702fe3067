import { ApiKeyRejectedError } from '../errors/api-key-rejected-error';
import { IngestorUnavailableError } from '../errors/ingestor-unavailable-error';
import { UnexpectedResponseError } from '../errors/unexpected-response-error';
import { acceptAll, connectionRefused, scriptedFetch, type ScriptedAnswer } from '../testing/scripted-fetch';
import { BatchSender, type RetryNotice } from './batch-sender';
import { DEFAULT_RETRY_BACKOFF } from './retry-backoff';

const items = [
  { key: 'K1', type: 't', payload: { a: '1' } },
  { key: 'K2', type: 't', payload: {} },
];
const UNAVAILABLE = {
  status: 503,
  headers: { 'retry-after': '5' },
  body: { statusCode: 503, error: 'UNAVAILABLE', message: 'publishing failed; nothing was accepted, retry' },
};

function sender(script: ScriptedAnswer[], apiKey?: string) {
  const fetch = scriptedFetch(...script);
  const sleeps: number[] = [];
  const notices: RetryNotice[] = [];
  const instance = new BatchSender({
    ingestorUrl: 'http://ingestor.test:3000/',
    ...(apiKey ? { apiKey } : {}),
    requestTimeoutMs: 1_000,
    retry: DEFAULT_RETRY_BACKOFF,
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => Date.parse('2025-03-14T09:00:00Z'),
    random: () => 0,
  });
  const send = () => instance.send('batch-1', items, (notice) => notices.push(notice));
  return { fetch, sleeps, notices, send };
}

describe('BatchSender', () => {
  it('posts the batch id and items to /v1/batches with the API key, and returns the per-index result', async () => {
    const { fetch, send } = sender([acceptAll], 'secret');
    const result = await send();
    expect(result.counts).toEqual({ accepted: 2, rejected: 0, duplicates: 0 });
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]).toMatchObject({
      url: 'http://ingestor.test:3000/v1/batches',
      headers: { 'content-type': 'application/json', 'x-api-key': 'secret' },
      body: { batchId: 'batch-1', items },
    });
  });

  it('sends no x-api-key header without a key', async () => {
    const { fetch, send } = sender([acceptAll]);
    await send();
    expect(fetch.requests[0]?.headers).not.toHaveProperty('x-api-key');
  });

  it.each([
    [400, 'nothing accepted, some invalid'],
    [409, 'every item a duplicate'],
  ])('takes a %i carrying a submission result as the answer (%s)', async (status) => {
    const body = {
      correlationId: 'c',
      accepted: [],
      rejected: [{ index: 0, reason: 'key: bad' }],
      duplicates: [{ index: 1, itemId: 'x', reason: 'ALREADY_ACCEPTED' }],
      counts: { accepted: 0, rejected: 1, duplicates: 1 },
    };
    const { send } = sender([{ status, body }]);
    await expect(send()).resolves.toMatchObject({ rejected: body.rejected, duplicates: body.duplicates });
  });

  it('retries a 503 after its Retry-After, then takes the answer', async () => {
    const { fetch, sleeps, notices, send } = sender([UNAVAILABLE, UNAVAILABLE, acceptAll]);
    await expect(send()).resolves.toMatchObject({ counts: { accepted: 2 } });
    expect(fetch.requests).toHaveLength(3);
    expect(sleeps).toEqual([5_000, 5_000]);
    expect(notices[0]).toEqual({
      attempt: 1,
      maxAttempts: 6,
      delayMs: 5_000,
      reason: '503 UNAVAILABLE: publishing failed; nothing was accepted, retry',
    });
  });

  it('retries network failures and timeouts with exponential backoff', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const { sleeps, notices, send } = sender([{ throws: connectionRefused() }, { throws: timeout }, acceptAll]);
    await send();
    expect(sleeps).toEqual([1_000, 2_000]);
    expect(notices.map((notice) => notice.reason)).toEqual([
      'cannot reach http://ingestor.test:3000/v1/batches: fetch failed (ECONNREFUSED)',
      'no answer within 1000 ms',
    ]);
  });

  it('gives up after the last attempt with IngestorUnavailableError', async () => {
    const { fetch, sleeps, send } = sender([UNAVAILABLE]);
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestorUnavailableError);
    expect(error).toMatchObject({ attempts: 6, retryable: true });
    expect((error as Error).message).toMatch(/after 6 attempts \(last: 503 UNAVAILABLE/);
    expect(fetch.requests).toHaveLength(6);
    expect(sleeps).toEqual([5_000, 5_000, 5_000, 8_000, 16_000]);
  });

  it('stops at once on 401, saying whether a key was sent, and never repeats the key', async () => {
    const refused = { status: 401, body: { statusCode: 401, error: 'API_KEY_INVALID', message: 'the API key is not valid' } };
    const { fetch, send } = sender([refused], 'wrong-key');
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiKeyRejectedError);
    expect(error).toMatchObject({ keyGiven: true, message: 'the API key is not valid' });
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('wrong-key');
    expect(fetch.requests).toHaveLength(1);
  });

  it.each<[string, ScriptedAnswer, RegExp]>([
    ['a 404 (wrong URL)', { status: 404, body: { message: 'Cannot POST /v1/batches' } }, /answered 404: is http:\/\/ingestor.test:3000\/ the ingestor's base URL/],
    ['a 413', { status: 413, body: { statusCode: 413, error: 'BATCH_TOO_LARGE', message: 'too many' } }, /413 BATCH_TOO_LARGE: too many/],
    [
      'a 400 refusing the whole request',
      { status: 400, body: { statusCode: 400, error: 'INVALID_BODY', message: 'bad shape', details: [{ path: 'batchId', message: 'bad' }] } },
      /refused the whole request: 400 INVALID_BODY: bad shape \(batchId: bad\)/,
    ],
    ['a 202 that is not a result', { status: 202, body: 'ok' }, /202 with a body that is not a submission result: ok/],
  ])('stops without retrying on %s', async (_name, answer, message) => {
    const { fetch, send } = sender([answer]);
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toMatch(message);
    expect(fetch.requests).toHaveLength(1);
  });
});
