import { z } from 'zod';

/** Comma-separated list, blanks dropped: `"a, b,,c"` -> `['a', 'b', 'c']`. */
export const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );

/** `host:port` pairs, at least one. */
export const brokerList = commaList.pipe(
  z
    .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each broker must be host:port'))
    .min(1, 'at least one broker is required'),
);

export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const nonNegativeInt = z.coerce.number().int().nonnegative();

/** `true/false/1/0/yes/no`, case-insensitive. */
export const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
