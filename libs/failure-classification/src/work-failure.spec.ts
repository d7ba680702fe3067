import { WorkFailureSchema } from './work-failure';

describe('WorkFailureSchema', () => {
  it('accepts a complete failure', () => {
    const failure = { type: 'RATE_LIMIT', message: 'HTTP 429', code: 'HTTP_429', retryable: true, retryAfterMs: 30_000 };
    expect(WorkFailureSchema.parse(failure)).toEqual(failure);
  });

  it('accepts a custom type without optional fields', () => {
    expect(WorkFailureSchema.parse({ type: 'QUOTA_EXHAUSTED', message: 'x', retryable: false })).toEqual({
      type: 'QUOTA_EXHAUSTED',
      message: 'x',
      retryable: false,
    });
  });

  it.each([
    { type: 'api_error', message: 'x', retryable: true },
    { type: 'API_ERROR', message: 'x' },
    { type: 'API_ERROR', message: 'x', retryable: true, retryAfterMs: -1 },
  ])('rejects %j', (value) => {
    expect(WorkFailureSchema.safeParse(value).success).toBe(false);
  });
});
