import { z } from 'zod';

/** Ids travel in headers, Redis keys and URLs: keep them printable and bounded. */
export const IdentifierSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'must start with a letter or digit and use only A-Z a-z 0-9 . _ : @ / -');

/** The handler type of a work item, e.g. `http` or `portfolio-report`. */
export const WorkTypeSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-", starting with a letter');

export const TimestampSchema = z.iso.datetime({ offset: true });
