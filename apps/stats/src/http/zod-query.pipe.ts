import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Parses query parameters (or a path parameter) with a zod schema; a mismatch
 * is a 400 naming each parameter at fault. (ZodBodyPipe's twin for queries; a
 * candidate for libs/runtime.)
 */
@Injectable()
export class ZodQueryPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what: 'query' | 'path' = 'query',
  ) {}

  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      const label = this.what === 'query' ? 'query parameter' : 'path parameter';
      throw new BadRequestException({
        statusCode: 400,
        error: this.what === 'query' ? 'INVALID_QUERY' : 'INVALID_PATH',
        message: parsed.error.issues
          .map((issue) => {
            const name = issue.path.length > 0 ? issue.path.join('.') : this.what;
            return issue.code === 'unrecognized_keys'
              ? `unknown ${label}${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`
              : `${label} "${name}": ${issue.message}`;
          })
          .join('; '),
        details: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || `(${this.what})`, message: issue.message })),
      });
    }
    return parsed.data;
  }
}
