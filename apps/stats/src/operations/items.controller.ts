import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { IdentifierSchema, OperationsApi } from '@workpipe/contracts';
import { RequireRole } from '@workpipe/runtime';
import { ZodQueryPipe } from '../http/zod-query.pipe';
import { ItemStatusService } from './item-status.service';

@ApiTags('items')
@ApiSecurity('api-key')
@Controller('v1')
export class ItemsController {
  constructor(private readonly items: ItemStatusService) {}

  @Get('items/:id')
  @RequireRole('read')
  @ApiOperation({
    summary: 'Where one item is now: its state, every failed attempt with its failure, its dead letters and its replays',
    description: 'Attempts, dead letters and replays come from a bounded per-item history (the latest 200 events).',
  })
  @ApiParam({ name: 'id', description: 'Item id (URL-encoded)' })
  @ApiOkResponse({ schema: z.toJSONSchema(OperationsApi.ItemStatusSchema, { io: 'output', unrepresentable: 'any' }) as object })
  @ApiResponse({ status: 400, description: 'Not a valid item id' })
  @ApiResponse({ status: 404, description: 'Nothing of this item was seen' })
  async get(@Param('id', new ZodQueryPipe(IdentifierSchema, 'path')) itemId: string): Promise<OperationsApi.ItemStatus> {
    const status = await this.items.status(itemId, Date.now());
    if (!status) throw new NotFoundException({ statusCode: 404, error: 'ITEM_NOT_FOUND', message: `no event of item "${itemId}" has been seen` });
    return status;
  }
}
