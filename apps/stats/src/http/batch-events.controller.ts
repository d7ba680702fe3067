import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { callerOf, RequireRole } from '@workpipe/runtime';
import { z } from 'zod';
import { BatchEventsQuerySchema, BatchIdSchema } from './query-schemas';
import { LiveProgressService } from './live-progress.service';
import { ZodQueryPipe } from './zod-query.pipe';

@ApiTags('stats')
@ApiSecurity('api-key')
@ApiResponse({ status: 401, description: 'No API key, or not one of API_KEYS' })
@ApiResponse({ status: 403, description: 'The key lacks the "read" role' })
@RequireRole('read')
@Controller('v1')
export class BatchEventsController {
  constructor(private readonly live: LiveProgressService) {}

  @Get('batches/:id/events')
  @ApiOperation({
    summary: "Live progress of a batch (server-sent events)",
    description:
      '`event: progress` with { batchId, known, items, retryable, failedAttempts, retriesScheduled, rates, timeToSuccessMs, ' +
      'expected, complete, asOf } on connect and whenever the numbers change (at most 4/s by default), then `event: complete` ' +
      'once nothing is pending (and `expected` items are known), and the stream ends. A batch not seen yet is a 404, unless ' +
      'the client passes `expected` (it just submitted the batch): then it streams zeros (known: false) until the first event, ' +
      'for at most SSE_UNKNOWN_BATCH_WAIT_MS, then ends with `event: not-found`. A stream without change for ' +
      'SSE_IDLE_TIMEOUT_MS ends with `event: idle`.',
  })
  @ApiProduces('text/event-stream')
  @ApiParam({ name: 'id', description: 'Batch id (URL-encoded)' })
  @ApiQuery({ name: 'expected', required: false, description: 'Items the batch has: `complete` waits until that many are known' })
  @ApiResponse({ status: 200, description: 'The event stream' })
  @ApiResponse({ status: 400, description: 'Invalid batch id or query parameter' })
  @ApiResponse({ status: 404, description: 'No event of this batch has been seen, and no `expected` given (or an EventSource reconnecting)' })
  @ApiResponse({ status: 429, description: 'Too many streams open: for this key (SSE_MAX_STREAMS_PER_KEY) or this instance (SSE_MAX_STREAMS)' })
  async events(
    @Param('id', new ZodQueryPipe(BatchIdSchema, 'path')) batchId: string,
    @Query(new ZodQueryPipe(BatchEventsQuerySchema)) query: z.infer<typeof BatchEventsQuerySchema>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.live.stream(
      { batchId, expected: query.expected, callerId: callerOf(req).id, reconnecting: req.headers['last-event-id'] !== undefined },
      res,
    );
  }
}
