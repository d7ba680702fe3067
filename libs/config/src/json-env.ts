import { z } from 'zod';
import { jsonSyntaxErrorPosition } from './json-syntax-error-position';

/**
 * An environment variable holding JSON, parsed and then validated by `schema`. A syntax error
 * is reported by position (`not valid JSON (at position 17)`), never by quoting the text, which
 * may hold credentials (a header template, a URL with a token).
 */
export function jsonEnv<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: notJsonMessage(text) });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** `not valid JSON (at position 17)`; the offset is 0-based, in characters. */
export function notJsonMessage(text: string): string {
  const position = jsonSyntaxErrorPosition(text);
  return position === undefined ? 'not valid JSON' : `not valid JSON (at position ${String(position)})`;
}
