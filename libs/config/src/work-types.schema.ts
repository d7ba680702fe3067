import { z } from 'zod';
import { jsonEnv } from './json-env';

/** Settings of the built-in `http` handler for one work type. */
export const HttpWorkTypeSchema = z.strictObject({
  handler: z.literal('http'),
  /** URL template; `{field}` is replaced by the URL-encoded payload field, e.g. `.../portfolios/{portfolioId}/report`. */
  url: z.string().min(1),
  method: z.enum(['GET', 'POST', 'PUT']).default('GET'),
  /** Extra request headers (values may hold `{field}` too). Never logged. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Abort the call after this long, in milliseconds; counts as TIMEOUT. Default 10000. */
  timeoutMs: z.number().int().positive().default(10_000),
  /** Name of the downstream for rate limiting and the circuit breaker; default the URL's host. */
  downstream: z.string().regex(/^[\w.-]+$/).optional(),
  /** Directory where each successful body is saved as `<itemId>.<ext>`; default: bodies are only summarized. */
  saveDir: z.string().optional(),
});

export const WorkTypeConfigSchema = z.discriminatedUnion('handler', [HttpWorkTypeSchema]);
export type WorkTypeConfig = z.infer<typeof WorkTypeConfigSchema>;
export type HttpWorkTypeConfig = z.infer<typeof HttpWorkTypeSchema>;

/** `WORK_TYPES`: `{ "<type>": { "handler": "http", ... } }`. Types served by code-registered handlers need no entry. */
export const WorkTypesSchema = jsonEnv(
  z.record(z.string().regex(/^[a-z][a-z0-9._-]*$/, 'work types are lower-case'), WorkTypeConfigSchema),
);

/** Protection of one downstream, shared by every work type that calls it. */
export const DownstreamSchema = z.strictObject({
  /** Calls per second allowed across ALL processor instances (Redis-backed); default: unlimited. */
  rateLimitPerSecond: z.number().positive().optional(),
  /** Failed calls (API_ERROR, TIMEOUT) in the rolling window, in percent, that open the breaker. Default 50. */
  breakerErrorThresholdPercent: z.number().min(1).max(100).default(50),
  /** Calls needed in the window before the breaker may open. Default 10. */
  breakerVolumeThreshold: z.number().int().positive().default(10),
  /** How long the breaker stays open before a trial call, in milliseconds. Default 30000. */
  breakerResetTimeoutMs: z.number().int().positive().default(30_000),
  /** Rolling window of the breaker's statistics, in milliseconds. Default 10000. */
  breakerWindowMs: z.number().int().positive().default(10_000),
});
export type DownstreamConfig = z.infer<typeof DownstreamSchema>;

/** `DOWNSTREAMS`: `{ "<name>": { "rateLimitPerSecond": 20, ... } }`; unnamed downstreams get the defaults. */
export const DownstreamsSchema = jsonEnv(z.record(z.string(), DownstreamSchema));
