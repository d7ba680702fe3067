import { BadRequestException } from '@nestjs/common';
import { FailuresQuerySchema } from './query-schemas';
import { ZodQueryPipe } from './zod-query.pipe';

function reject(query: Record<string, string>): { error: string; message: string } {
  try {
    new ZodQueryPipe(FailuresQuerySchema).transform(query);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as { error: string; message: string };
  }
  throw new Error('expected a 400');
}

describe('ZodQueryPipe with the failures query', () => {
  it('coerces and defaults', () => {
    expect(new ZodQueryPipe(FailuresQuerySchema).transform({ status: 'abandoned', olderThanMinutes: '90' })).toEqual({
      status: 'abandoned',
      olderThanMinutes: 90,
      limit: 100,
      offset: 0,
    });
  });

  it('names the parameter at fault, and unknown ones', () => {
    expect(reject({ status: 'gone' })).toEqual(expect.objectContaining({ error: 'INVALID_QUERY', message: 'query parameter "status": status must be "retryable" or "abandoned"' }));
    expect(reject({ limit: '5000' }).message).toContain('query parameter "limit"');
    expect(reject({ page: '2', sort: 'x' }).message).toBe('unknown query parameters "page", "sort"');
  });

  it('says which range a number must be in, however it is wrong', () => {
    for (const limit of ['0', '-3', '1001', '1.5', 'abc', '', '0x10']) {
      expect(reject({ limit }).message).toBe('query parameter "limit": limit must be a whole number from 1 to 1000');
    }
    expect(reject({ offset: '-1' }).message).toBe('query parameter "offset": offset must be a whole number from 0 to 10000000');
    expect(reject({ olderThanMinutes: '-5' }).message).toBe('query parameter "olderThanMinutes": olderThanMinutes must be a number of minutes, 0 or more');
  });

  it('takes an abandon reason, names the allowed ones for any other, and refuses it with status=retryable', () => {
    expect(new ZodQueryPipe(FailuresQuerySchema).transform({ reason: 'NOT_RETRYABLE' })).toEqual({ reason: 'NOT_RETRYABLE', limit: 100, offset: 0 });
    expect(reject({ reason: 'max_attempts' }).message).toBe('query parameter "reason": reason must be one of MAX_ATTEMPTS, NOT_RETRYABLE, CIRCUIT_OPEN');
    expect(reject({ reason: 'CIRCUIT_OPEN', status: 'retryable' }).message).toBe(
      'query parameter "reason": a reason selects abandoned items: leave status out or make it "abandoned"',
    );
  });

  it('refuses a parameter given twice rather than picking one', () => {
    expect(reject({ limit: ['1', '2'] } as unknown as Record<string, string>).message).toBe('query parameter "limit" must be given once, as name=value');
  });
});
