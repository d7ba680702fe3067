import { Body, Controller, HttpException, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  BatchSubmissionSchema,
  HEADERS,
  ItemSubmissionSchema,
  MAX_BATCH_ITEMS,
  type SubmissionResult,
} from '@workpipe/contracts';
import { BodyLimit, correlationIdOf, RequireRole, ZodBodyPipe } from '@workpipe/runtime';
import { SubmissionService } from '../submission/submission.service';
import { batchAnswer, submissionStatus } from './submission-response';

/** `items` is checked for size before each item is validated, so an oversized batch is a 413, not 1001 errors. */
const BatchEnvelopeSchema = z.looseObject({ items: z.unknown() });

@ApiTags('submissions')
@ApiSecurity('api-key')
@ApiResponse({ status: 401, description: 'No API key, or not one of API_KEYS' })
@ApiResponse({ status: 403, description: 'The key lacks the "submit" role' })
@ApiHeader({ name: HEADERS.correlationId, required: false, description: 'Propagated to every event of these items' })
@RequireRole('submit')
@Controller('v1')
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionService) {}

  @Post('items')
  @BodyLimit('item')
  @ApiOperation({ summary: 'Submit one work item' })
  @ApiBody({ schema: z.toJSONSchema(ItemSubmissionSchema, { io: 'input' }) as object })
  @ApiResponse({ status: 202, description: 'Accepted: durably in Kafka' })
  @ApiResponse({ status: 400, description: 'Invalid item, with the reason' })
  @ApiResponse({ status: 409, description: 'Duplicate of an item accepted within the dedup window' })
  @ApiResponse({ status: 413, description: "The body is over HTTP_ITEM_BODY_LIMIT_BYTES, or the item's event over the work topic's size limit (max.message.bytes)" })
  @ApiResponse({ status: 415, description: 'Not UTF-8 JSON' })
  @ApiResponse({ status: 503, description: 'Kafka unavailable: nothing accepted, retry' })
  async submitItem(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const result = await this.submissions.submit([body], undefined, correlationIdOf(req));
    res.status(submissionStatus(result)).json(single(result));
  }

  @Post('batches')
  @BodyLimit('batch')
  @ApiOperation({ summary: `Submit up to ${MAX_BATCH_ITEMS} work items as one batch` })
  @ApiBody({ schema: z.toJSONSchema(BatchSubmissionSchema, { io: 'input' }) as object })
  @ApiResponse({ status: 202, description: 'Some or all accepted; rejected and duplicate items listed by index' })
  @ApiResponse({ status: 400, description: 'Nothing accepted: invalid batch or items' })
  @ApiResponse({ status: 409, description: 'Nothing accepted: every item is a duplicate' })
  @ApiResponse({ status: 413, description: `More than ${MAX_BATCH_ITEMS} items, or a body over HTTP_BATCH_BODY_LIMIT_BYTES` })
  @ApiResponse({ status: 415, description: 'Not UTF-8 JSON' })
  async submitBatch(
    @Body(new ZodBodyPipe(BatchEnvelopeSchema)) envelope: z.infer<typeof BatchEnvelopeSchema>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (Array.isArray(envelope.items) && envelope.items.length > MAX_BATCH_ITEMS) {
      throw new HttpException(
        {
          statusCode: 413,
          error: 'BATCH_TOO_LARGE',
          message: `a batch takes at most ${MAX_BATCH_ITEMS} items; this one has ${envelope.items.length}. Split it (the CLI's submit command does).`,
        },
        413,
      );
    }
    const batch = new ZodBodyPipe(BatchSubmissionSchema).transform(envelope);
    const batchId = batch.batchId ?? `batch-${randomUUID()}`;
    const result = await this.submissions.submit(batch.items, batchId, correlationIdOf(req));
    const status = submissionStatus(result);
    res.status(status).json(batchAnswer(result, status));
  }
}

/** The single-item answer: the one outcome, without per-index lists. */
function single(result: SubmissionResult): Record<string, unknown> {
  const accepted = result.accepted[0];
  if (accepted) return { status: 'accepted', itemId: accepted.itemId, correlationId: result.correlationId };
  const duplicate = result.duplicates[0];
  if (duplicate) {
    return {
      statusCode: 409,
      error: 'DUPLICATE',
      message:
        duplicate.reason === 'IN_FLIGHT'
          ? `item ${duplicate.itemId} is being published by another request (IN_FLIGHT): retry once that one is answered`
          : `item ${duplicate.itemId} was already accepted (${duplicate.reason})`,
      itemId: duplicate.itemId,
      reason: duplicate.reason,
    };
  }
  const rejected = result.rejected[0];
  if (rejected?.code === 'TOO_LARGE') {
    return { statusCode: 413, error: 'ITEM_TOO_LARGE', message: rejected.reason, itemId: rejected.itemId };
  }
  return { statusCode: 400, error: 'INVALID_ITEM', message: rejected?.reason ?? 'invalid item', itemId: rejected?.itemId };
}
