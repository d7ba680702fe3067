import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '../http/public.decorator';
import { RequireRole } from '../http/require-role.decorator';

/** Prometheus scrape endpoint for the process and pipeline metrics of this service: a `read` key (a scraper's bearer token), or open with METRICS_OPEN. */
@ApiExcludeController()
@RequireRole('read')
@Public({ when: (config) => config.http.metricsOpen })
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
