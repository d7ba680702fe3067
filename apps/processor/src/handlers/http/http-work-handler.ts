import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpWorkTypeConfig } from '@workpipe/config';
import type { WorkItem } from '@workpipe/contracts';
import {
  classifyHttpResponse,
  DownstreamTimeoutError,
  parseRateLimitHeaders,
  WorkFailureError,
} from '@workpipe/failure-classification';
import type { HandlerContext, HandlerResult, WorkHandler } from '../work-handler';
import { callDownstream } from './downstream-client';
import { HeaderTemplates } from './header-templates';
import { UrlTemplate } from './url-template';

/**
 * The built-in `http` handler: calls a URL filled from the payload and turns
 * the outcome into a success summary or a typed failure (5xx API_ERROR,
 * timeout TIMEOUT, 429 RATE_LIMIT with Retry-After, 401/403 AUTHENTICATION,
 * empty report EMPTY_REPORT, unparseable body PROCESSING_ERROR, other 4xx VALIDATION).
 *
 * The URL and the headers are built and checked before anything is sent (see `UrlTemplate`,
 * `HeaderTemplates`): a URL that would leave its template's path, or an invalid header value,
 * is a VALIDATION failure and no request goes out. Redirects are not followed (a 3xx is a
 * PROCESSING_ERROR), so the configured headers never reach another place either.
 */
export class HttpWorkHandler implements WorkHandler {
  readonly downstream: string;
  /** Its calls end at `timeoutMs` and on the attempt's signal: the processor needs no deadline of its own around it. */
  readonly enforcesTimeout = true;
  private readonly url: UrlTemplate;
  private readonly headers: HeaderTemplates;

  /**
   * @param settings the work type's entry of WORK_TYPES
   * @param workType its name, for start-up errors; default: unnamed
   * @throws InvalidHttpWorkTypeError when the URL template or a header cannot work
   */
  constructor(
    private readonly settings: HttpWorkTypeConfig,
    workType?: string,
  ) {
    this.url = new UrlTemplate(settings.url, workType);
    this.headers = new HeaderTemplates(settings.headers, workType);
    this.downstream = settings.downstream ?? this.url.hostname;
  }

  async handle(item: WorkItem.Value, context: HandlerContext): Promise<HandlerResult> {
    const url = this.url.fill(item.payload);
    const headers = this.headers.fill(item.payload, { accept: 'application/json', 'x-correlation-id': item.correlationId });
    const hasBody = this.settings.method !== 'GET';
    if (hasBody) headers['content-type'] = 'application/json';

    const started = Date.now();
    const response = await callDownstream(url, {
      method: this.settings.method,
      headers,
      body: hasBody ? JSON.stringify(item.payload) : undefined,
      signal: context.signal,
      timeoutMs: this.settings.timeoutMs,
      timeoutError: () => new DownstreamTimeoutError(`no complete answer within ${this.settings.timeoutMs} ms`, { code: 'TIMEOUT' }),
    });
    const { body, bodyText } = response;

    const now = Date.now();
    const responseHeaders = response.headers;
    const hints = parseRateLimitHeaders(responseHeaders, now);
    if (hints.remaining !== undefined || hints.resetAtMs !== undefined) context.reportRateLimit(hints);

    const outcome = classifyHttpResponse({ status: response.status, headers: responseHeaders, bodyText }, { now });
    if (!outcome.ok) {
      const { type, message, code, retryable, retryAfterMs } = outcome.failure;
      throw new WorkFailureError(type, message, { code, retryable, retryAfterMs });
    }
    const summary: Record<string, unknown> = {
      status: response.status,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      contentType: responseHeaders['content-type'],
      downstreamMs: now - started,
    };
    const rows = rowCount(outcome.body);
    if (rows !== undefined) summary.rows = rows;
    if (this.settings.saveDir) summary.savedTo = await this.save(item, body, responseHeaders['content-type'] ?? null);
    return { summary };
  }

  private async save(item: WorkItem.Value, body: Buffer, contentType: string | null): Promise<string> {
    const dir = this.settings.saveDir as string;
    await mkdir(dir, { recursive: true });
    const extension = contentType?.includes('json') ? 'json' : contentType?.includes('csv') ? 'csv' : 'txt';
    const path = join(dir, `${item.itemId.replace(/[^\w.-]/g, '_')}.${extension}`);
    await writeFile(path, body);
    return path;
  }
}

function rowCount(body: unknown): number | undefined {
  if (Array.isArray(body)) return body.length;
  if (body && typeof body === 'object') {
    for (const field of ['rows', 'data', 'items']) {
      const value = (body as Record<string, unknown>)[field];
      if (Array.isArray(value)) return value.length;
    }
  }
  return undefined;
}
