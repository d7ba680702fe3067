import type { INestApplication } from '@nestjs/common';
import type { ServiceName } from '@workpipe/config';
import { createService, type ServiceDefinition } from '@workpipe/runtime';
import { INGESTOR } from '../../../apps/ingestor/src/ingestor.service-definition';
import { PROCESSOR } from '../../../apps/processor/src/processor.service-definition';
import { RETRIER } from '../../../apps/retrier/src/retrier.service-definition';
import { STATS } from '../../../apps/stats/src/stats.service-definition';
import type { TestEnv } from '../../support/test-env';

export const SERVICES: readonly [ServiceName, ServiceDefinition][] = [
  ['ingestor', INGESTOR],
  ['processor', PROCESSOR],
  ['retrier', RETRIER],
  ['stats', STATS],
];

/** One key per role, and one with them all; each at least 8 characters, as API_KEYS wants. */
export const KEYS = {
  all: 'all-roles-key-0001',
  read: 'reader-key-0001',
  submit: 'submitter-key-0001',
  operate: 'operator-key-0001',
} as const;

export const API_KEYS = `${KEYS.all},${KEYS.read}:read,${KEYS.submit}:submit,${KEYS.operate}:operate`;

export interface RunningService {
  name: ServiceName;
  app: INestApplication;
  baseUrl: string;
}

/** Starts a service in-process on a random loopback port, as the pipeline harness does. */
export async function startService(env: TestEnv, definition: ServiceDefinition, overrides: Record<string, string> = {}): Promise<RunningService> {
  const app = await createService(definition, env.config(definition.service, { API_KEYS, ...overrides }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { name: definition.service, app, baseUrl: `http://127.0.0.1:${port}` };
}

export interface ListedRoute {
  method: string;
  path: string;
}

/**
 * Every route the service's Express app answers, from its router: Nest's controllers and the
 * OpenAPI routes SwaggerModule adds beside them (`/docs` is static files under a middleware and
 * is added by hand). HEAD answers like GET and is not listed.
 */
export function listRoutes(app: INestApplication): ListedRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  const routes: ListedRoute[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: layer.route.path });
    }
  }
  return routes;
}
