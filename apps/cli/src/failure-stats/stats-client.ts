import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { StatsUnavailableError } from '../errors/stats-unavailable-error';

const FailurePageSchema = z.looseObject({
  total: z.number(),
  items: z.array(z.looseObject({ itemId: z.string(), firstFailureAt: z.string().nullable() })),
});
export type FailurePage = z.infer<typeof FailurePageSchema>;

const StatsSchema = z.looseObject({
  failures: z.looseObject({ itemsByType: z.record(z.string(), z.number()) }),
  abandoned: z.looseObject({ byType: z.record(z.string(), z.number()) }),
});

/** The few stats-service calls the CLI makes, with clear errors when the service is not there. */
export class StatsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly apiKey?: string,
  ) {}

  /** Failure types the service has seen, for the per-type breakdown. */
  async failureTypes(batchId?: string): Promise<string[]> {
    const path = batchId ? `/v1/batches/${encodeURIComponent(batchId)}` : '/v1/stats';
    const stats = StatsSchema.parse(await this.getJson(path));
    return [...new Set([...Object.keys(stats.failures.itemsByType), ...Object.keys(stats.abandoned.byType)])].sort();
  }

  async failures(query: Record<string, string | undefined>): Promise<FailurePage> {
    return FailurePageSchema.parse(await this.getJson(`/v1/failures?${this.query(query)}`));
  }

  /** Streams `/v1/failures.csv` to a file; returns the number of data rows. */
  async exportCsv(path: string, query: Record<string, string | undefined>): Promise<number> {
    const response = await this.request(`/v1/failures.csv?${this.query(query)}`);
    let rows = -1; // the header line
    const counting = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>).on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) rows++;
    });
    await pipeline(counting, createWriteStream(path));
    return Math.max(0, rows);
  }

  async clearOld(olderThanHours: number): Promise<{ hidden: number; cutoff: string }> {
    const response = await this.request('/v1/failures/clear-old', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}) },
      body: JSON.stringify({ olderThanHours }),
    });
    return z.object({ hidden: z.number(), cutoff: z.string() }).parse(await response.json());
  }

  private query(values: Record<string, string | undefined>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) if (value !== undefined) params.set(name, value);
    return params.toString();
  }

  private async getJson(path: string): Promise<unknown> {
    return (await this.request(path)).json();
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new StatsUnavailableError(`the stats service at ${this.baseUrl} did not answer: ${(error as Error).message}`, error);
    }
    if (!response.ok) {
      const text = await response.text();
      throw new StatsUnavailableError(`the stats service answered ${response.status} to ${path}: ${text.slice(0, 300)}`);
    }
    return response;
  }
}
