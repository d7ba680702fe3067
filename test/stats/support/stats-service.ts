import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { isDeepStrictEqual } from 'node:util';
import { createService } from '@workpipe/runtime';
import { STATS } from '../../../apps/stats/src/stats.service-definition';
import type { TestEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait-for';

/** Boots one stats instance on this test's prefixes, with stats settings from `settings`. */
export async function startStats(env: TestEnv, settings: Record<string, string> = {}): Promise<INestApplication> {
  const app = await createService(STATS, env.config('stats', settings));
  await app.listen(0, '127.0.0.1');
  return app;
}

/** GETs a JSON body, failing on a non-200. */
export async function getJson(app: INestApplication, path: string): Promise<Record<string, unknown>> {
  const response = await request(app.getHttpServer()).get(path);
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Record<string, unknown>;
}

/**
 * Polls `read` until it deep-equals `expected`; on timeout, asserts once more
 * so jest prints the difference.
 */
export async function expectEventually(read: () => Promise<unknown>, expected: unknown, timeoutMs = 60_000, description = 'numbers'): Promise<void> {
  const normalized = JSON.parse(JSON.stringify(expected)) as unknown;
  let last: unknown;
  try {
    await waitFor(
      async () => {
        last = await read();
        return isDeepStrictEqual(last, normalized);
      },
      { timeoutMs, intervalMs: 200, description },
    );
  } catch {
    expect(last).toEqual(normalized);
  }
}
