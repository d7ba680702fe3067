import type Redis from 'ioredis';
import pino from 'pino';
import { loadConfig } from '@workpipe/config';
import { CircuitOpenError, WorkFailureError } from '@workpipe/failure-classification';
import { loggerOptions } from '@workpipe/logging';
import { DownstreamGuard } from './downstream-guard';

/** No rate limit is configured, so the limiter only reads the shared pause: never set here. */
const redis = { get: async () => null } as unknown as Redis;

/** A guard for downstream "reports" (60 s cool-down, opens on the first failure) at this TIME_SCALE, and its log lines. */
function guardAt(timeScale: string): { guard: DownstreamGuard; lines: Record<string, unknown>[] } {
  const config = loadConfig('processor', {
    TIME_SCALE: timeScale,
    DOWNSTREAMS: JSON.stringify({ reports: { breakerResetTimeoutMs: 60_000, breakerVolumeThreshold: 1, breakerErrorThresholdPercent: 50 } }),
  });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ ...loggerOptions({ service: 'test', level: 'info' }), transport: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { guard: new DownstreamGuard(config, redis, logger), lines };
}

const signal = new AbortController().signal;
const failing = async (): Promise<never> => {
  throw new WorkFailureError('API_ERROR', 'downstream answered 503', { code: 'HTTP_503' });
};
const working = async (): Promise<string> => 'ok';

/** What the guard threw for a call. */
async function thrownBy(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('DownstreamGuard breaker cool-down and TIME_SCALE', () => {
  let guard: DownstreamGuard | undefined;

  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => {
    guard?.shutdown();
    guard = undefined;
    jest.useRealTimers();
  });

  it('scales a 60 s cool-down by TIME_SCALE 0.01 to 600 ms', async () => {
    const built = guardAt('0.01');
    guard = built.guard;
    await thrownBy(guard.run('reports', failing, signal));
    expect(guard.states()).toEqual({ reports: 'open' });
    expect(built.lines.find((line) => line.msg === 'circuit breaker opened')).toMatchObject({ downstream: 'reports', resetTimeoutMs: 600 });
    const refused = await thrownBy(guard.run('reports', working, signal));
    expect(refused).toBeInstanceOf(CircuitOpenError);
    // In the policy's unscaled time: the retrier scales the Retry-After floor back to 600 ms.
    expect(refused).toMatchObject({ type: 'CIRCUIT_OPEN', retryAfterMs: 60_000 });
  });

  it('keeps the configured 60 s at TIME_SCALE 1', async () => {
    guard = guardAt('1').guard;
    await thrownBy(guard.run('reports', failing, signal));
    expect(await thrownBy(guard.run('reports', working, signal))).toMatchObject({ type: 'CIRCUIT_OPEN', retryAfterMs: 60_000 });
  });

  it('at TIME_SCALE 0.01 stays open for 600 ms, then lets a trial call through and closes', async () => {
    guard = guardAt('0.01').guard;
    await thrownBy(guard.run('reports', failing, signal));
    await jest.advanceTimersByTimeAsync(599);
    expect(guard.states()).toEqual({ reports: 'open' });
    expect(await thrownBy(guard.run('reports', working, signal))).toMatchObject({ type: 'CIRCUIT_OPEN', retryAfterMs: 100 });
    await jest.advanceTimersByTimeAsync(1);
    expect(guard.states()).toEqual({ reports: 'half-open' });
    await expect(guard.run('reports', working, signal)).resolves.toBe('ok');
    expect(guard.states()).toEqual({ reports: 'closed' });
  });
});
