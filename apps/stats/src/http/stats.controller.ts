import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@workpipe/runtime';
import { z } from 'zod';
import { StatsReader, type ScopeAnswer } from '../reading/stats-reader.service';
import { BatchIdSchema, StatsQuerySchema } from './query-schemas';
import { ZodQueryPipe } from './zod-query.pipe';

const STATS_DESCRIPTION =
  'items (submitted, pending, succeeded, abandoned); succeeded (first attempt, after retries, by replay, by attempt number); ' +
  'failures (attempts by type, items failed, retryable, outstanding, oldest retryable failure); abandoned (by reason, by type, ' +
  'abandonment rate per type); retries (scheduled, replays, wait p50/p95/p99); timeToSuccessMs (p50/p95/p99); rates ' +
  '(success, firstPassSuccess, recovery, abandonment, completion: fractions, null while undefined); series (per minute). ' +
  'Each event counted exactly once.';

@ApiTags('stats')
@ApiSecurity('api-key')
@ApiResponse({ status: 401, description: 'No API key, or not one of API_KEYS' })
@ApiResponse({ status: 403, description: 'The key lacks the "read" role' })
@RequireRole('read')
@Controller('v1')
export class StatsController {
  constructor(private readonly reader: StatsReader) {}

  @Get('stats')
  @ApiOperation({ summary: 'Overall numbers, every batch included', description: STATS_DESCRIPTION })
  @ApiQuery({ name: 'minutes', required: false, description: 'Minutes of per-minute series, ending now (1-1440, default 60)' })
  @ApiOkResponse({ description: 'The overall numbers' })
  @ApiResponse({ status: 400, description: 'Invalid query parameter' })
  async overall(@Query(new ZodQueryPipe(StatsQuerySchema)) query: z.infer<typeof StatsQuerySchema>): Promise<ScopeAnswer> {
    return (await this.reader.answer(undefined, { minutes: query.minutes, nowMs: Date.now() })) as ScopeAnswer;
  }

  @Get('batches')
  @ApiOperation({ summary: 'Ids of the batches known, oldest first' })
  @ApiOkResponse({ description: '{ "batches": ["portfolios-2026-11-20", ...] }' })
  async batches(): Promise<{ batches: string[] }> {
    return { batches: await this.reader.batchIds() };
  }

  @Get('batches/:id')
  @ApiOperation({ summary: "One batch's numbers", description: `${STATS_DESCRIPTION} The series covers the whole batch.` })
  @ApiParam({ name: 'id', description: 'Batch id (URL-encoded)' })
  @ApiOkResponse({ description: "The batch's numbers" })
  @ApiResponse({ status: 400, description: 'Not a valid batch id' })
  @ApiResponse({ status: 404, description: 'No event of this batch has been seen' })
  async batch(@Param('id', new ZodQueryPipe(BatchIdSchema, 'path')) batchId: string): Promise<ScopeAnswer> {
    const answer = await this.reader.answer(batchId, { minutes: 0, nowMs: Date.now() });
    if (!answer) {
      throw new NotFoundException({ statusCode: 404, error: 'BATCH_NOT_FOUND', message: `no event of batch "${batchId}" has been seen` });
    }
    return answer;
  }
}
