import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Parses query parameters (or a path parameter) with a zod schema; a mismatch
 * is a 400 naming each parameter at fault, and a parameter given twice
 * (`?limit=1&limit=2`) is refused rather than silently picked. (ZodBodyPipe's
 * twin for queries.)
 */
@Injectable()
export class ZodQueryPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what: 'query' | 'path' = 'query',
  ) {}

  transform(value: unknown): z.output<S> {
    const label = this.what === 'query' ? 'query parameter' : 'path parameter';
    const code = this.what === 'query' ? 'INVALID_QUERY' : 'INVALID_PATH';
    if (this.what === 'query' && value && typeof value === 'object') {
      const repeated = Object.entries(value).filter(([, given]) => typeof given !== 'string').map(([name]) => name);
      if (repeated.length > 0) {
        throw new BadRequestException({
          statusCode: 400,
          error: code,
          message: repeated.map((name) => `${label} "${shown(name)}" must be given once, as name=value`).join('; '),
          details: repeated.map((name) => ({ path: shown(name), message: 'given more than once' })),
        });
      }
    }
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new BadRequestException({
        statusCode: 400,
        error: code,
        message: parsed.error.issues
          .map((issue) => {
            const name = issue.path.length > 0 ? issue.path.join('.') : this.what;
            return issue.code === 'unrecognized_keys'
              ? `unknown ${label}${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${shown(key)}"`).join(', ')}`
              : `${label} "${name}": ${issue.message}`;
          })
          .join('; '),
        details: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || `(${this.what})`, message: issue.message })),
      });
    }
    return parsed.data;
  }
}

/** A client's parameter name in a message: printable and bounded. */
function shown(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}
