import { EventSource } from 'eventsource';
import type { z } from 'zod';
import { ApiError } from './api-error';

/**
 * The HTTP API of the stats service, from the page: same origin, the key in the `x-api-key`
 * header of every call (server-sent events included: the EventSource here takes a fetch, so the
 * key needs no query string), answers checked with the contracts' zod schemas where they have one.
 */
export class ConsoleApi {
  constructor(
    /** The key typed by the person; null to call without one (a service without API_KEYS). */
    readonly key: string | null,
  ) {}

  /** GET a JSON answer, parsed with `schema` when given. */
  async get<T = unknown>(path: string, schema?: z.ZodType<T>): Promise<T> {
    const body = await (await this.call(path, { method: 'GET' })).json();
    return schema ? schema.parse(body) : (body as T);
  }

  /** POST a JSON body; the answer parsed with `schema` when given. */
  async post<T = unknown>(path: string, body: unknown, schema?: z.ZodType<T>): Promise<T> {
    const response = await this.call(path, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json' } });
    const answer = await response.json();
    return schema ? schema.parse(answer) : (answer as T);
  }

  /** GET as a file (`/v1/failures.csv`). */
  async blob(path: string): Promise<Blob> {
    return (await this.call(path, { method: 'GET' }, 'text/csv')).blob();
  }

  /** A server-sent events stream, with the key in its request headers. */
  events(path: string): EventSource {
    const headers = this.headers();
    return new EventSource(path, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), ...headers } }),
    });
  }

  private headers(): Record<string, string> {
    return this.key ? { 'x-api-key': this.key } : {};
  }

  private async call(path: string, init: RequestInit, accept = 'application/json'): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, {
        ...init,
        cache: 'no-store',
        credentials: 'omit',
        headers: { accept, ...(init.headers as Record<string, string> | undefined), ...this.headers() },
      });
    } catch (error) {
      throw new ApiError(0, 'UNREACHABLE', error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) throw await ApiError.of(response);
    return response;
  }
}
