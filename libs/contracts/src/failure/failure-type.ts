import { z } from 'zod';

/**
 * The failure types every component knows. A handler may add types of its own
 * (see {@link FailureTypeSchema}); they are configured like the built-in ones.
 */
export const BUILT_IN_FAILURE_TYPES = [
  'API_ERROR',
  'TIMEOUT',
  'EMPTY_REPORT',
  'PROCESSING_ERROR',
  'RATE_LIMIT',
  'AUTHENTICATION',
  'VALIDATION',
  'CIRCUIT_OPEN',
] as const;

export type BuiltInFailureType = (typeof BUILT_IN_FAILURE_TYPES)[number];

/** Upper snake case, so custom types read like the built-in ones in headers and dashboards. */
export const FAILURE_TYPE_PATTERN = /^[A-Z][A-Z0-9_]{1,63}$/;

export const FailureTypeSchema = z
  .string()
  .regex(FAILURE_TYPE_PATTERN, 'failure type must be UPPER_SNAKE_CASE, 2-64 characters');

/** A built-in type or a handler's own. */
export type FailureType = BuiltInFailureType | (string & {});

export function isBuiltInFailureType(type: string): type is BuiltInFailureType {
  return (BUILT_IN_FAILURE_TYPES as readonly string[]).includes(type);
}
