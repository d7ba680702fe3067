import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '@workpipe/runtime';
import { buildAlertsAnswer } from '@workpipe/stats-model';
import { NoQuerySchema } from '../http/query-schemas';
import { ZodQueryPipe } from '../http/zod-query.pipe';
import { STATS_SETTINGS, type StatsSettings } from '../stats-settings.token';
import { AlertStore } from './alert-store';
import { AlertsWithDeliveryAnswerSchema, type AlertsWithDeliveryAnswer } from './webhook-delivery';

@ApiTags('alerts')
@ApiSecurity('api-key')
@ApiResponse({ status: 401, description: 'No API key, or not one of API_KEYS' })
@ApiResponse({ status: 403, description: 'The key lacks the "read" role' })
@RequireRole('read')
@Controller('v1')
export class AlertsController {
  constructor(
    private readonly store: AlertStore,
    @Inject(STATS_SETTINGS) private readonly settings: StatsSettings,
  ) {}

  @Get('alerts')
  @ApiOperation({
    summary: 'Every alert rule: raised or clear, since when, the value measured then, its thresholds',
    description:
      'From the alert states kept in Redis, which every stats instance shares (unlike the per-instance ' +
      '`workpipe_alerts_raised` gauge of /metrics). Thresholds are in the rule\'s unit: a fraction for ratios (0.85 = 85%), a count, or ms. ' +
      '`delivery` is the webhook delivery of the rule\'s latest alert event: pending (queued or waiting for a retry), delivered, ' +
      'or failed (every try failed), with the POSTs made and the last error; null when none was recorded (no ALERT_WEBHOOK_URL).',
  })
  @ApiOkResponse({ description: 'The rules', schema: z.toJSONSchema(AlertsWithDeliveryAnswerSchema, { io: 'output' }) as object })
  @ApiResponse({ status: 400, description: 'A query parameter (this endpoint takes none)' })
  async alerts(@Query(new ZodQueryPipe(NoQuerySchema)) _query: z.infer<typeof NoQuerySchema>): Promise<AlertsWithDeliveryAnswer> {
    const [states, deliveries] = await Promise.all([this.store.states(), this.store.webhookDeliveries()]);
    const answer = buildAlertsAnswer(states, this.settings.alerts.thresholds, Date.now());
    return AlertsWithDeliveryAnswerSchema.parse({ ...answer, alerts: answer.alerts.map((alert) => ({ ...alert, delivery: deliveries[alert.rule] ?? null })) });
  }
}
