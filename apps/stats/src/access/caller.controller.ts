import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { API_ROLES, type AppConfig } from '@workpipe/config';
import { OperationsApi } from '@workpipe/contracts';
import { callerOf, InjectConfig, RequireApiKey } from '@workpipe/runtime';
import { NoQuerySchema } from '../http/query-schemas';
import { ZodQueryPipe } from '../http/zod-query.pipe';
import { requesterOf } from '../operations/requester';

/** Who is calling, for clients that offer only what the key may do (the console's replay controls). */
@ApiTags('access')
@ApiSecurity('api-key')
@Controller('v1')
export class CallerController {
  private readonly keysConfigured: boolean;

  constructor(@InjectConfig() config: AppConfig) {
    this.keysConfigured = config.apiKeys.length > 0;
  }

  @Get('me')
  @RequireApiKey()
  @ApiOperation({
    summary: "The calling key's roles (read, submit, operate) and whether API keys are configured at all; never the key",
    description: 'Any valid key may ask, whatever its roles. With API_KEYS empty, authentication is off: every caller holds every role and keyId is null.',
  })
  @ApiOkResponse({ schema: z.toJSONSchema(OperationsApi.CallerSchema, { io: 'output' }) as object })
  @ApiResponse({ status: 400, description: 'A query parameter (this endpoint takes none)' })
  @ApiResponse({ status: 401, description: 'No API key, or not one of API_KEYS' })
  me(@Req() request: Request, @Query(new ZodQueryPipe(NoQuerySchema)) _query: z.infer<typeof NoQuerySchema>): OperationsApi.Caller {
    const roles = callerOf(request).roles;
    const requester = requesterOf(request.headers, this.keysConfigured);
    return OperationsApi.CallerSchema.parse({
      keysConfigured: this.keysConfigured,
      keyId: requester.kind === 'api-key' ? requester.keyId : null,
      roles: API_ROLES.filter((role) => roles.has(role)),
    });
  }
}
