import { z } from 'zod';

/** An environment variable holding JSON, parsed and then validated by `schema`. */
export function jsonEnv<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not valid JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
