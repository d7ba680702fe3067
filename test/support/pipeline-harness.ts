import type { INestApplication } from '@nestjs/common';
import type { AppConfig, ServiceName } from '@workpipe/config';
import { createService, type ServiceDefinition } from '@workpipe/runtime';
import { TestEnv } from './test-env';

/** Boots services of the pipeline against the real stack under one TestEnv, and closes them all. */
export class PipelineHarness {
  readonly apps: INestApplication[] = [];

  constructor(readonly env: TestEnv) {}

  async start(definition: ServiceDefinition, overrides: Record<string, string> = {}): Promise<INestApplication> {
    const config: AppConfig = this.env.config(definition.service as ServiceName, overrides);
    const app = await createService(definition, config);
    await app.listen(0, '127.0.0.1');
    this.apps.push(app);
    return app;
  }

  async close(): Promise<void> {
    for (const app of this.apps.splice(0).reverse()) await app.close();
  }
}

/** WORK_TYPES for the simulator's profitability report. */
export function reportWorkTypes(simulatorUrl: string, timeoutMs = 500): string {
  return JSON.stringify({
    'portfolio-report': {
      handler: 'http',
      url: `${simulatorUrl}/portfolios/{portfolioId}/profitability-report?date={date}`,
      timeoutMs,
      downstream: 'reports',
    },
  });
}

/** The 104 portfolios as ingestor submissions. */
export function portfolioSubmissions(portfolioIds: readonly string[], date = '2026-11-20'): Record<string, unknown>[] {
  return portfolioIds.map((portfolioId) => ({
    itemId: `${portfolioId}-${date}`,
    key: portfolioId,
    type: 'portfolio-report',
    payload: { portfolioId, date },
  }));
}
