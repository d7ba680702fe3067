import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { OperationsApi } from '@workpipe/contracts';
import { ApiKeyRejectedError } from '../errors/api-key-rejected-error';
import { StatsAnswerError } from '../errors/stats-answer-error';
import { StatsUnavailableError } from '../errors/stats-unavailable-error';

/** Longest wait for an answer, in milliseconds; a dry run of a big selection reads it all before answering. */
export const STATS_REQUEST_TIMEOUT_MS = 30_000;
export const DRY_RUN_TIMEOUT_MS = 30 * 60_000;

/**
 * The CLI's client of the stats service: the read API (failures, stats) and
 * the operations API (replays). Every answer is checked with the contract it
 * is documented by; failures become typed errors: {@link StatsUnavailableError}
 * (no answer, 5xx: exit 3), {@link ApiKeyRejectedError} (401, 403: exit 4),
 * {@link StatsAnswerError} (400, 404, 409: exit 2).
 */
export class StatsApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly apiKey?: string,
  ) {}

  /** Failure types the service has seen, overall or in a batch, for the per-type breakdown. */
  async failureTypes(batchId?: string): Promise<string[]> {
    const path = batchId ? `/v1/batches/${encodeURIComponent(batchId)}` : '/v1/stats';
    const stats = await this.getJson(path, OperationsApi.FailureTypesAnswerSchema);
    return [...new Set([...Object.keys(stats.failures.itemsByType), ...Object.keys(stats.abandoned.byType)])].sort();
  }

  failures(query: Record<string, string | undefined>): Promise<OperationsApi.FailurePage> {
    return this.getJson(`/v1/failures?${queryOf(query)}`, OperationsApi.FailurePageSchema);
  }

  /** Streams `/v1/failures.csv` to a file; returns the number of data rows. */
  async exportCsv(path: string, query: Record<string, string | undefined>): Promise<number> {
    const response = await this.request(`/v1/failures.csv?${queryOf(query)}`);
    let rows = -1; // the header line
    const counting = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>).on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) rows++;
    });
    await pipeline(counting, createWriteStream(path));
    return Math.max(0, rows);
  }

  clearOld(olderThanHours: number): Promise<OperationsApi.ClearOldResult> {
    return this.postJson('/v1/failures/clear-old', { olderThanHours }, OperationsApi.ClearOldResultSchema);
  }

  /** `POST /v1/replays` with `dryRun: false`: the replay, started. */
  createReplay(body: OperationsApi.CreateReplayBody): Promise<OperationsApi.ReplayView> {
    return this.postJson('/v1/replays', { ...body, dryRun: false }, OperationsApi.ReplayViewSchema);
  }

  /** `POST /v1/replays` with `dryRun: true`. */
  dryRun(body: OperationsApi.CreateReplayBody): Promise<OperationsApi.DryRunResult> {
    return this.postJson('/v1/replays', { ...body, dryRun: true }, OperationsApi.DryRunResultSchema, DRY_RUN_TIMEOUT_MS);
  }

  continueReplay(replayId: string, body: Omit<OperationsApi.ContinueReplayBody, 'dryRun' | 'sampleLimit'>): Promise<OperationsApi.ReplayView> {
    return this.postJson(`/v1/replays/${encodeURIComponent(replayId)}/continue`, { ...body, dryRun: false, sampleLimit: 0 }, OperationsApi.ReplayViewSchema);
  }

  dryRunContinue(replayId: string, body: Omit<OperationsApi.ContinueReplayBody, 'dryRun'>): Promise<OperationsApi.DryRunResult> {
    return this.postJson(`/v1/replays/${encodeURIComponent(replayId)}/continue`, { ...body, dryRun: true }, OperationsApi.DryRunResultSchema, DRY_RUN_TIMEOUT_MS);
  }

  /** `GET /v1/replays/:id`, listing the first `list` failing and pending items. */
  replay(replayId: string, list = 20): Promise<OperationsApi.ReplayView> {
    return this.getJson(`/v1/replays/${encodeURIComponent(replayId)}?list=${list}`, OperationsApi.ReplayViewSchema);
  }

  /** Headers of every request: the API key when one is given (never printed). */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...extra, ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}) };
  }

  private async getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.parse(path, schema, await (await this.request(path)).json());
  }

  private async postJson<S extends z.ZodType>(path: string, body: unknown, schema: S, timeoutMs = STATS_REQUEST_TIMEOUT_MS): Promise<z.output<S>> {
    const response = await this.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, timeoutMs);
    return this.parse(path, schema, await response.json());
  }

  private parse<S extends z.ZodType>(path: string, schema: S, body: unknown): z.output<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new StatsUnavailableError(`the stats service answered ${path} with something else than expected: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  private async request(path: string, init: RequestInit = {}, timeoutMs = STATS_REQUEST_TIMEOUT_MS): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        ...init,
        headers: this.headers((init.headers as Record<string, string> | undefined) ?? {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new StatsUnavailableError(`the stats service at ${this.baseUrl} did not answer: ${(error as Error).message}`, error);
    }
    if (response.ok) return response;
    const text = await response.text();
    const message = messageOf(text);
    if (response.status === 401 || response.status === 403) throw new ApiKeyRejectedError(message, this.apiKey !== undefined);
    if (response.status === 400 || response.status === 404 || response.status === 409) throw new StatsAnswerError(response.status, message);
    throw new StatsUnavailableError(`the stats service answered ${response.status} to ${path}: ${message.slice(0, 300)}`);
  }
}

/** The `message` of the service's JSON error body, else the text itself. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: the text is the message.
  }
  return text;
}

function queryOf(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined) params.set(name, value);
  return params.toString();
}
