import type { SubmissionResult } from '@workpipe/contracts';
import { parseRetryAfterMs } from '@workpipe/failure-classification';
import { ApiKeyRejectedError } from '../errors/api-key-rejected-error';
import { IngestorUnavailableError } from '../errors/ingestor-unavailable-error';
import { UnexpectedResponseError } from '../errors/unexpected-response-error';
import type { ItemCandidate } from './item-candidate';
import { decideRetry, isRetryableStatus, type RetryBackoffOptions } from './retry-backoff';
import { ErrorBodySchema, SubmissionResultSchema } from './submission-result.schema';

/** Longest one request may take by default, in milliseconds: well above the ingestor's 15 s publish timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface BatchSenderOptions {
  /** Base URL of the ingestor, e.g. `http://127.0.0.1:3000`; `/v1/batches` is appended. */
  ingestorUrl: string;
  /** Sent as `x-api-key` when set; never logged or put in a message. */
  apiKey?: string;
  /** Longest one request may take before it counts as a network failure, in milliseconds. */
  requestTimeoutMs: number;
  /** Attempts and waits while the ingestor is unavailable. */
  retry: RetryBackoffOptions;
  fetch: typeof fetch;
  /** Waits between attempts; injected so tests do not wait. */
  sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds; turns an HTTP-date Retry-After into a wait. */
  now: () => number;
  /** Uniform in [0, 1): backoff jitter. */
  random: () => number;
}

/** Told before each wait, so the operator sees why nothing moves. */
export interface RetryNotice {
  /** The attempt that failed, 1-based. */
  attempt: number;
  maxAttempts: number;
  /** The wait before the next attempt, in milliseconds. */
  delayMs: number;
  /** What the failed attempt got, e.g. `503 UNAVAILABLE: ...` or `connection refused`. */
  reason: string;
}

type AttemptOutcome =
  | { kind: 'answered'; result: SubmissionResult }
  | { kind: 'unavailable'; reason: string; retryAfterMs?: number };

/**
 * Sends batches to `POST /v1/batches`. A 202, 400 or 409 carrying a submission
 * result is the answer (per-index verdicts); a 503, other transient 5xx, 429 or
 * a network failure is retried with exponential backoff honouring Retry-After,
 * which is safe because the ingestor de-duplicates items by id.
 */
export class BatchSender {
  private readonly url: string;

  constructor(private readonly options: BatchSenderOptions) {
    this.url = `${options.ingestorUrl.replace(/\/+$/, '')}/v1/batches`;
  }

  /**
   * @throws IngestorUnavailableError when every attempt failed transiently
   * @throws ApiKeyRejectedError on 401
   * @throws UnexpectedResponseError on any other answer (404, 413, a refused request)
   */
  async send(
    batchId: string,
    items: readonly ItemCandidate[],
    onRetry: (notice: RetryNotice) => void = () => undefined,
  ): Promise<SubmissionResult> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(batchId, items);
      if (outcome.kind === 'answered') return outcome.result;
      const decision = decideRetry(attempt, outcome.retryAfterMs, this.options.retry, this.options.random);
      if (!decision.retry) throw new IngestorUnavailableError(attempt, outcome.reason);
      onRetry({ attempt, maxAttempts: this.options.retry.maxAttempts, delayMs: decision.delayMs, reason: outcome.reason });
      await this.options.sleep(decision.delayMs);
    }
  }

  private async attempt(batchId: string, items: readonly ItemCandidate[]): Promise<AttemptOutcome> {
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await this.options.fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'user-agent': 'workpipe-cli',
          ...(this.options.apiKey ? { 'x-api-key': this.options.apiKey } : {}),
        },
        body: JSON.stringify({ batchId, items }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      return { kind: 'unavailable', reason: this.describeNetworkError(error) };
    }
    const body = parseJson(text);

    if (status === 202 || status === 400 || status === 409) {
      const result = SubmissionResultSchema.safeParse(body);
      if (result.success) return { kind: 'answered', result: result.data };
      throw new UnexpectedResponseError(
        status === 202
          ? `the ingestor answered 202 with a body that is not a submission result: ${snippet(text)}`
          : `the ingestor refused the whole request: ${describeAnswer(status, body, text)}`,
        status,
      );
    }
    if (status === 401) {
      throw new ApiKeyRejectedError(errorMessage(body) ?? 'unauthorized', this.options.apiKey !== undefined);
    }
    if (isRetryableStatus(status)) {
      return {
        kind: 'unavailable',
        reason: describeAnswer(status, body, text),
        retryAfterMs: parseRetryAfterMs(retryAfter ?? undefined, this.options.now()),
      };
    }
    if (status === 404) {
      throw new UnexpectedResponseError(
        `${this.url} answered 404: is ${this.options.ingestorUrl} the ingestor's base URL (--ingestor-url)?`,
        status,
      );
    }
    throw new UnexpectedResponseError(`the ingestor answered ${describeAnswer(status, body, text)}`, status);
  }

  private describeNetworkError(error: unknown): string {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return `no answer within ${this.options.requestTimeoutMs} ms`;
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    return `cannot reach ${this.url}: ${(error as Error).message}${detail ? ` (${detail})` : ''}`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorMessage(body: unknown): string | undefined {
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success || parsed.data.message === undefined) return undefined;
  const { message } = parsed.data;
  return Array.isArray(message) ? message.join('; ') : message;
}

/** `503 UNAVAILABLE: publishing ... failed` from an error body, else the status and the start of the text. */
function describeAnswer(status: number, body: unknown, text: string): string {
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success && (parsed.data.error || parsed.data.message)) {
    const details = Array.isArray(parsed.data.details)
      ? ` (${(parsed.data.details as { path?: string; message?: string }[])
          .map((detail) => `${detail.path ?? ''}: ${detail.message ?? ''}`)
          .join('; ')})`
      : '';
    return `${status} ${parsed.data.error ?? ''}${parsed.data.error ? ': ' : ''}${errorMessage(body) ?? ''}${details}`.trim();
  }
  return text.trim() === '' ? String(status) : `${status}: ${snippet(text)}`;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}
