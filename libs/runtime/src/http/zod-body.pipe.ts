import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Parses a request body with a zod schema; a mismatch is a 400 `INVALID_BODY` whose message names
 * each field at fault (`items: a batch needs at least one item`), with the same list in `details`.
 */
@Injectable()
export class ZodBodyPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: messageOf(issue) }));
      throw new BadRequestException({
        statusCode: 400,
        error: 'INVALID_BODY',
        message: `the request body does not match the expected shape: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
        details,
      });
    }
    return parsed.data;
  }
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key.slice(0, 64)}"`).join(', ')}`;
  return issue.message;
}
