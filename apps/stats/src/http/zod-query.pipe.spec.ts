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
});
