import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { OperationsApi, ReplayRequest } from '@workpipe/contracts';
import { RequireRole, ZodBodyPipe } from '@workpipe/runtime';
import { ZodQueryPipe } from '../http/zod-query.pipe';
import { ReplayAudit } from './replay-audit';
import { replayHttpError } from './replay-http-errors';
import { ReplayJobs } from './replay-jobs.service';
import { ReplayRuntime } from './replay-runtime';
import { requesterOf } from './requester';

const schemaOf = (schema: z.ZodType): object => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object;

const RecentRequestsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

const STATES = 'running (phase selecting, choosing or publishing), trial, complete, interrupted, cancelled';

/**
 * Replays of dead letters: start one (or a dry run), follow it, continue a
 * trial or an interrupted one, cancel one; and the record of every request.
 * Reading needs the `read` role, acting `operate`.
 */
@ApiTags('replays')
@ApiSecurity('api-key')
@Controller('v1')
export class ReplaysController {
  constructor(
    private readonly jobs: ReplayJobs,
    private readonly audit: ReplayAudit,
    private readonly runtime: ReplayRuntime,
  ) {}

  @Post('replays')
  @RequireRole('operate')
  @ApiOperation({
    summary: 'Replay the dead letters of a selection, or list them (dry run)',
    description:
      'selection.kind `dead-letters`: partitions and an inclusive offset range, a time window on abandonedAt (since/until), failure types, ' +
      'reasons, batch ids, item ids (at least one); `retry-failures`: every abandoned item still worth retrying (latest dead letter per item, ' +
      'not replayed, not succeeded since, not NOT_RETRYABLE or VALIDATION; `max` oldest). Each dead letter is replayed once, whatever replay ' +
      'selects it; an item with several selected dead letters once, from its latest. `dryRun: true` answers 200 with what would be replayed ' +
      '(nothing published or recorded); otherwise 202 with the replay, which runs in the background: follow it with GET /v1/replays/:id. ' +
      '`ratePerSecond` throttles it; `trial: N` republishes N, then waits for POST /v1/replays/:id/continue. Recorded on the `replays` topic.',
  })
  @ApiBody({ schema: schemaOf(OperationsApi.CreateReplayBodySchema) })
  @ApiResponse({ status: 202, description: `The replay (state ${STATES})`, schema: schemaOf(OperationsApi.ReplayViewSchema) })
  @ApiResponse({ status: 200, description: 'Dry run: counts and the first dead letters that would be replayed', schema: schemaOf(OperationsApi.DryRunResultSchema) })
  @ApiResponse({ status: 400, description: 'Invalid body, unknown topic or partition, empty selection' })
  @ApiResponse({ status: 401, description: 'No API key, or not a valid one' })
  @ApiResponse({ status: 403, description: 'The key lacks the operate role' })
  @ApiResponse({ status: 409, description: 'A replay with this id exists' })
  async create(
    @Body(new ZodBodyPipe(OperationsApi.CreateReplayBodySchema)) body: OperationsApi.CreateReplayBody,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OperationsApi.ReplayView | OperationsApi.DryRunResult> {
    try {
      const answer = await this.jobs.create(body, requesterOf(request.headers, this.runtime.authenticationOn));
      response.status(answer.kind === 'dry-run' ? 200 : 202);
      return answer.kind === 'dry-run' ? answer.result : answer.view;
    } catch (error) {
      throw replayHttpError(error);
    }
  }

  @Get('replays')
  @RequireRole('read')
  @ApiOperation({ summary: 'Replays, newest first, with their counts and outcome' })
  @ApiQuery({ name: 'limit', required: false, description: '1-500, default 50' })
  @ApiQuery({ name: 'offset', required: false, description: 'Replays to skip, default 0' })
  @ApiOkResponse({ schema: schemaOf(OperationsApi.ReplayListSchema) })
  async list(@Query(new ZodQueryPipe(OperationsApi.ListReplaysQuerySchema)) query: z.infer<typeof OperationsApi.ListReplaysQuerySchema>): Promise<OperationsApi.ReplayList> {
    try {
      return await this.jobs.list(query.offset, query.limit);
    } catch (error) {
      throw replayHttpError(error);
    }
  }

  @Get('replay-requests')
  @RequireRole('read')
  @ApiOperation({ summary: 'The latest replay requests of every replay, dry runs and refusals included, newest first (as on the replays topic)' })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiOkResponse({ description: '{ requests: ReplayRequest[] }' })
  async requests(@Query(new ZodQueryPipe(RecentRequestsQuerySchema)) query: z.infer<typeof RecentRequestsQuerySchema>): Promise<{ requests: ReplayRequest.Value[] }> {
    return { requests: await this.audit.recent(query.limit) };
  }

  @Get('replays/:id')
  @RequireRole('read')
  @ApiOperation({
    summary: 'One replay: selection, counts, progress, and what became of its items (recovered, failed again, pending)',
    description: `State ${STATES}. outcome.failing and outcome.waiting list the first \`list\` item ids.`,
  })
  @ApiParam({ name: 'id', description: 'Replay id' })
  @ApiQuery({ name: 'list', required: false, description: 'Failing and pending item ids listed, 0-1000, default 20' })
  @ApiOkResponse({ schema: schemaOf(OperationsApi.ReplayViewSchema) })
  @ApiResponse({ status: 404, description: 'No such replay' })
  async get(
    @Param('id', new ZodQueryPipe(OperationsApi.ReplayIdSchema, 'path')) replayId: string,
    @Query(new ZodQueryPipe(OperationsApi.ReplayViewQuerySchema)) query: z.infer<typeof OperationsApi.ReplayViewQuerySchema>,
  ): Promise<OperationsApi.ReplayView> {
    try {
      return await this.jobs.view(replayId, query.list);
    } catch (error) {
      throw replayHttpError(error);
    }
  }

  @Post('replays/:id/continue')
  @RequireRole('operate')
  @ApiOperation({
    summary: 'Run a replay again with its stored selection: the rest of a trial, or what an interruption left',
    description: 'Nothing is republished twice. `dryRun: true` answers 200 with what it would replay now.',
  })
  @ApiParam({ name: 'id', description: 'Replay id' })
  @ApiBody({ schema: schemaOf(OperationsApi.ContinueReplayBodySchema) })
  @ApiResponse({ status: 202, description: 'The replay, running again', schema: schemaOf(OperationsApi.ReplayViewSchema) })
  @ApiResponse({ status: 404, description: 'No such replay' })
  @ApiResponse({ status: 409, description: 'It is running, or was cancelled' })
  async continue(
    @Param('id', new ZodQueryPipe(OperationsApi.ReplayIdSchema, 'path')) replayId: string,
    @Body(new ZodBodyPipe(z.preprocess((value) => value ?? {}, OperationsApi.ContinueReplayBodySchema))) body: OperationsApi.ContinueReplayBody,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OperationsApi.ReplayView | OperationsApi.DryRunResult> {
    try {
      const answer = await this.jobs.continue(replayId, body, requesterOf(request.headers, this.runtime.authenticationOn));
      response.status(answer.kind === 'dry-run' ? 200 : 202);
      return answer.kind === 'dry-run' ? answer.result : answer.view;
    } catch (error) {
      throw replayHttpError(error);
    }
  }

  @Post('replays/:id/cancel')
  @HttpCode(202)
  @RequireRole('operate')
  @ApiOperation({ summary: 'Stop a replay: a running one after its current batch, a trial or an interrupted one at once; nothing more is republished' })
  @ApiParam({ name: 'id', description: 'Replay id' })
  @ApiResponse({ status: 202, description: 'The replay', schema: schemaOf(OperationsApi.ReplayViewSchema) })
  @ApiResponse({ status: 404, description: 'No such replay' })
  @ApiResponse({ status: 409, description: 'It is complete' })
  async cancel(@Param('id', new ZodQueryPipe(OperationsApi.ReplayIdSchema, 'path')) replayId: string, @Req() request: Request): Promise<OperationsApi.ReplayView> {
    try {
      return await this.jobs.cancel(replayId, requesterOf(request.headers, this.runtime.authenticationOn));
    } catch (error) {
      throw replayHttpError(error);
    }
  }
}
