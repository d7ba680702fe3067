import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { BatchEventsQuerySchema, BatchIdSchema } from './query-schemas';
import { LiveProgressService } from './live-progress.service';
import { ZodQueryPipe } from './zod-query.pipe';

@ApiTags('stats')
@Controller('v1')
export class BatchEventsController {
  constructor(private readonly live: LiveProgressService) {}

  @Get('batches/:id/events')
  @ApiOperation({
    summary: "Live progress of a batch (server-sent events)",
    description:
      '`event: progress` with { batchId, known, items, retryable, failedAttempts, retriesScheduled, rates, timeToSuccessMs, ' +
      'expected, complete, asOf } on connect and whenever the numbers change (at most 4/s by default), then `event: complete` ' +
      'once nothing is pending (and `expected` items are known), and the stream ends. A batch not seen yet streams zeros ' +
      '(known: false) until its first event, so a client may connect right after submitting.',
  })
  @ApiProduces('text/event-stream')
  @ApiParam({ name: 'id', description: 'Batch id (URL-encoded)' })
  @ApiQuery({ name: 'expected', required: false, description: 'Items the batch has: `complete` waits until that many are known' })
  @ApiResponse({ status: 200, description: 'The event stream' })
  @ApiResponse({ status: 400, description: 'Invalid batch id or query parameter' })
  async events(
    @Param('id', new ZodQueryPipe(BatchIdSchema, 'path')) batchId: string,
    @Query(new ZodQueryPipe(BatchEventsQuerySchema)) query: z.infer<typeof BatchEventsQuerySchema>,
    @Res() res: Response,
  ): Promise<void> {
    await this.live.stream(batchId, query.expected, res);
  }
}
