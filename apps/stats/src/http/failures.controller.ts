import { applyDecorators, Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { once } from 'node:events';
import { z } from 'zod';
import { ABANDON_REASONS } from '@workpipe/contracts';
import { BodyLimit, RequireRole, ZodBodyPipe } from '@workpipe/runtime';
import { FailureHider } from '../failures/failure-hider.service';
import type { FailureRecord } from '../reading/failure-record';
import { StatsReader, type FailurePage } from '../reading/stats-reader.service';
import { FailureTypeFilter } from './failure-type-filter';
import { FailuresFilterSchema, FailuresQuerySchema } from './query-schemas';
import { ZodQueryPipe } from './zod-query.pipe';

/** Rows read from Redis per round trip while writing the CSV. */
const CSV_PAGE = 1000;

export const CSV_COLUMNS: { key: keyof FailureRecord; header: string }[] = [
  { key: 'itemId', header: 'itemId' },
  { key: 'key', header: 'key' },
  { key: 'batchId', header: 'batchId' },
  { key: 'status', header: 'status' },
  { key: 'lastFailureType', header: 'lastFailureType' },
  { key: 'lastFailureMessage', header: 'message' },
  { key: 'attempts', header: 'attempts' },
  { key: 'firstFailureAt', header: 'firstFailureAt' },
  { key: 'lastFailureAt', header: 'lastFailureAt' },
  { key: 'abandonReason', header: 'abandonReason' },
];

const ClearOldSchema = z.strictObject({ olderThanHours: z.number().positive('must be a positive number of hours') });

const FILTER_QUERIES = [
  { name: 'type', description: 'Failure type (of the abandonment, else of the last failure), e.g. API_ERROR: a built-in type or one some failure already had (else 400)' },
  { name: 'status', description: '`retryable` (failed, waiting for a retry) or `abandoned`', enum: ['retryable', 'abandoned'] },
  { name: 'reason', description: 'Only items abandoned for this reason (implies `status=abandoned`; with `status=retryable`, 400)', enum: [...ABANDON_REASONS] },
  { name: 'olderThanMinutes', description: 'Only items whose first failure is at least this many minutes old' },
  { name: 'batchId', description: 'Only this batch' },
];

/** The filter parameters, documented alike on the JSON and the CSV route. */
const ApiFailureFilters = (): MethodDecorator => applyDecorators(...FILTER_QUERIES.map((query) => ApiQuery({ ...query, required: false })));

@ApiTags('failures')
@ApiSecurity('api-key')
@ApiResponse({ status: 401, description: 'No API key, or not one of API_KEYS' })
@ApiResponse({ status: 403, description: 'The key lacks the role: "read" to list, "operate" to clear' })
@RequireRole('read')
@Controller('v1')
export class FailuresController {
  private readonly types: FailureTypeFilter;

  constructor(
    private readonly reader: StatsReader,
    private readonly hider: FailureHider,
  ) {
    this.types = new FailureTypeFilter(reader);
  }

  @Get('failures')
  @ApiOperation({ summary: 'Items failed and waiting for a retry, or abandoned; oldest first failure first' })
  @ApiFailureFilters()
  @ApiQuery({ name: 'limit', required: false, description: 'Page size, 1-1000, default 100' })
  @ApiQuery({ name: 'offset', required: false, description: 'Rows to skip, default 0' })
  @ApiOkResponse({ description: '{ total, offset, limit, items: [{ itemId, key, batchId, status, lastFailureType, ... }] }' })
  @ApiResponse({ status: 400, description: 'Invalid or unknown query parameter' })
  async list(@Query(new ZodQueryPipe(FailuresQuerySchema)) query: z.infer<typeof FailuresQuerySchema>): Promise<FailurePage> {
    const { limit, offset, ...filter } = query;
    await this.types.check(filter.type);
    return this.reader.failures(filter, { limit, offset }, Date.now());
  }

  @Post('failures/clear-old')
  @HttpCode(200)
  @RequireRole('operate')
  @BodyLimit()
  @ApiOperation({
    summary: 'Hide abandoned items whose first failure is older than N hours from this view (never deletes from Kafka)',
    description: 'Counters are unchanged; a rebuild from the topics shows the entries again.',
  })
  @ApiBody({ schema: z.toJSONSchema(ClearOldSchema, { io: 'input' }) as object })
  @ApiOkResponse({ description: '{ hidden, cutoff }' })
  clearOld(@Body(new ZodBodyPipe(ClearOldSchema)) body: z.infer<typeof ClearOldSchema>): Promise<{ hidden: number; cutoff: string }> {
    return this.hider.hideAbandonedOlderThan(body.olderThanHours, Date.now());
  }

  @Get('failures.csv')
  @ApiOperation({ summary: 'The same failures as CSV (every page), for spreadsheets' })
  @ApiProduces('text/csv')
  @ApiFailureFilters()
  @ApiOkResponse({ description: `Columns: ${CSV_COLUMNS.map((c) => c.header).join(', ')}` })
  @ApiResponse({ status: 400, description: 'Invalid or unknown query parameter' })
  async csv(@Query(new ZodQueryPipe(FailuresFilterSchema)) filter: z.infer<typeof FailuresFilterSchema>, @Res() res: Response): Promise<void> {
    await this.types.check(filter.type);
    const nowMs = Date.now();
    // The first page is read before anything is written, so a Redis error is still a clean 5xx.
    let page = await this.reader.failures(filter, { offset: 0, limit: CSV_PAGE }, nowMs);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="failures.csv"');
    const csv = stringify({ header: true, columns: CSV_COLUMNS });
    csv.pipe(res);
    try {
      for (let offset = 0; ; ) {
        for (const row of page.items) {
          if (!csv.write(row)) await once(csv, 'drain');
        }
        offset += CSV_PAGE;
        if (offset >= page.total || page.items.length === 0) break;
        page = await this.reader.failures(filter, { offset, limit: CSV_PAGE }, nowMs);
      }
      csv.end();
      await once(res, 'finish');
    } catch (error) {
      // Headers are gone: the only honest signal left is a cut connection.
      res.destroy(error as Error);
    }
  }
}
