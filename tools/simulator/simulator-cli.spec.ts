import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FailureProfileError } from './errors/failure-profile-error';
import { SimulatorOptionError } from './errors/simulator-option-error';
import { EXIT_INVALID_OPTIONS, parseSimulatorCliOptions, runSimulatorCli } from './simulator-cli';

const argv = (...flags: string[]): string[] => ['node', 'main.ts', ...flags];

function optionErrorOf(run: () => unknown): SimulatorOptionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SimulatorOptionError);
    return error as SimulatorOptionError;
  }
  throw new Error('expected a SimulatorOptionError');
}

describe('parseSimulatorCliOptions', () => {
  it('defaults to port 4010 on 127.0.0.1, seed 42 and the seed preset', () => {
    expect(parseSimulatorCliOptions(argv(), {})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      seed: 42,
      profile: 'seed',
      rateLimitPerSecond: undefined,
      logLevel: 'info',
      writePortfolios: undefined,
    });
  });

  it('reads SIMULATOR_* variables, and flags win over them', () => {
    const env = { SIMULATOR_PORT: '5000', SIMULATOR_SEED: '7', SIMULATOR_PROFILE: 'chaos', SIMULATOR_RATE_LIMIT_PER_SECOND: '20' };
    expect(parseSimulatorCliOptions(argv(), env)).toMatchObject({ port: 5000, seed: 7, profile: 'chaos', rateLimitPerSecond: 20 });
    expect(parseSimulatorCliOptions(argv('--seed', '9', '--profile', 'always-timeout'), env)).toMatchObject({
      seed: 9,
      profile: 'always-timeout',
    });
    expect(parseSimulatorCliOptions(argv(), { SIMULATOR_SEED: '' }).seed).toBe(42);
  });

  it('names the flag or the variable that is wrong', () => {
    expect(optionErrorOf(() => parseSimulatorCliOptions(argv('--port', 'abc'), {})).message).toContain('--port');
    expect(optionErrorOf(() => parseSimulatorCliOptions(argv('--port', '70000'), {})).message).toContain('0..65535');
    expect(optionErrorOf(() => parseSimulatorCliOptions(argv(), { SIMULATOR_SEED: '-3' })).option).toBe('SIMULATOR_SEED');
    expect(optionErrorOf(() => parseSimulatorCliOptions(argv('--rate-limit', '0'), {})).message).toContain('--rate-limit');
    expect(optionErrorOf(() => parseSimulatorCliOptions(argv('--bogus'), {})).message).toContain("unknown option '--bogus'");
    expect(optionErrorOf(() => parseSimulatorCliOptions(argv('--log-level', 'loud'), {})).message).toContain('loud');
  });

  it('validates the profile before starting', () => {
    expect(() => parseSimulatorCliOptions(argv('--profile', 'no-such-preset'), {})).toThrow(FailureProfileError);
    expect(() => parseSimulatorCliOptions(argv('--profile', '{"retryFaultRate":2}'), {})).toThrow(/retryFaultRate/);
  });
});

describe('runSimulatorCli', () => {
  it('returns exit code 2 with a clear message on bad options', async () => {
    const errors: string[] = [];
    const code = await runSimulatorCli(argv('--seed', 'x'), {}, { writeErr: (text) => errors.push(text) });
    expect(code).toBe(EXIT_INVALID_OPTIONS);
    expect(errors.join('')).toMatch(/^downstream-simulator: --seed must be an integer/);
  });

  it('serves until SIGTERM, then closes and returns 0', async () => {
    const handlers = new Map<string, () => void>();
    const running = runSimulatorCli(argv('--port', '0', '--log-level', 'silent'), {}, {
      onSignal: (signal, handler) => handlers.set(signal, handler),
    });
    await new Promise<void>((resolve) => {
      const check = (): void => (handlers.has('SIGTERM') ? resolve() : void setTimeout(check, 5));
      check();
    });
    handlers.get('SIGTERM')?.();
    await expect(running).resolves.toBe(0);
  });
});

describe('main.ts as a process', () => {
  const main = join(__dirname, 'main.ts');
  // tsx runs the TypeScript entry point as the demo does (`tsx tools/simulator/main.ts`).
  const run = (flags: string[]) =>
    spawn(process.execPath, ['--import', 'tsx', main, ...flags], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, SIMULATOR_PORT: '', SIMULATOR_PROFILE: '', SIMULATOR_SEED: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  const exitOf = (child: ReturnType<typeof run>): Promise<number | null> =>
    new Promise((resolve) => child.on('exit', (code) => resolve(code)));

  it('exits 2 with a message on an invalid option', async () => {
    const child = run(['--port', 'not-a-port']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expect(exitOf(child)).resolves.toBe(2);
    expect(stderr).toContain('--port must be an integer in 0..65535, got "not-a-port"');
  }, 20_000);

  it('logs one JSON line per request and shuts down cleanly on SIGTERM', async () => {
    const child = run(['--port', '0', '--profile', '{"extends":"healthy","latencyMs":[0,0]}']);
    const exited = exitOf(child);
    const lines = createInterface({ input: child.stdout });
    const logs: Array<Record<string, unknown>> = [];
    const listening = new Promise<string>((resolve) => {
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'simulator listening') {
          resolve(entry.url as string);
        }
      });
    });
    const url = await Promise.race([
      listening,
      exited.then((code) => Promise.reject(new Error(`simulator exited with ${code} before listening`))),
    ]);
    const response = await fetch(`${url}/portfolios/PF-0003/profitability-report?date=2025-09-02`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'request', portfolioId: 'PF-0003', callIndex: 1, outcome: 'ok', status: 200, ms: expect.any(Number) }),
        expect.objectContaining({ msg: 'simulator stopped' }),
      ]),
    );
  }, 20_000);
});
