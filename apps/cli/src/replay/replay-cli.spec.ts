import { runCli } from '../cli';

/** Runs the CLI in-process; nothing here reaches a server (usage errors stop first, the stats URL is an unreachable port). */
async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
    now: () => Date.parse('2025-03-14T09:15:02Z'),
    random: () => 0.25,
  });
  return { exitCode, stdout, stderr };
}

describe('workpipe replay commands (command line)', () => {
  it('lists replay, retry-failures and replay-status in the help', async () => {
    const { exitCode, stdout } = await run(['--help']);
    expect(exitCode).toBe(0);
    for (const command of ['replay [options]', 'retry-failures [options]', 'replay-status [options] <replayId>']) expect(stdout).toContain(command);
  });

  it.each([
    ['replay', ['--partition', '--from-offset', '--to-offset', '--since', '--until', '--type', '--reason', '--dry-run', '--rate', '--trial', '--continue', '--replay-id', 'Exit codes', '3  the stats service did not answer', 'STATS_URL', 'operate role']],
    ['retry-failures', ['--max', '--type', '--rate', '--dry-run', '--wait', '--timeout', 'Available: X, limited to: N', 'With --wait']],
    ['replay-status', ['<replayId>', '--wait', '--timeout', 'Recovered', 'Still failing', 'Pending', '0  every replayed item recovered']],
  ])('explains every option of %s', async (command, texts) => {
    const { exitCode, stdout } = await run([command, '--help']);
    expect(exitCode).toBe(0);
    for (const text of texts) expect(stdout).toContain(text);
  });

  it.each([
    ['replay', ['replay'], /say which dead letters to replay/],
    ['replay', ['replay', '--partition', '0', '--from-offset', 'ten'], /--from-offset must be an offset/],
    ['replay', ['replay', '--continue', 'rp-1', '--since', '2h'], /cannot be combined with --since/],
    ['replay', ['replay', '--type', 'API_ERROR', '--rate', 'fast'], /--rate must be items per second/],
    ['replay', ['replay', '--type', 'API_ERROR', '--unknown'], /unknown option '--unknown'/],
    ['retry-failures', ['retry-failures', '--max', 'all'], /--max must be an integer/],
    ['replay-status', ['replay-status'], /missing required argument 'replayId'/],
    ['replay-status', ['replay-status', 'rp-1', '--timeout', '5m'], /--timeout only applies with --wait/],
  ])('%s: exits 2 on a bad command line, before connecting to anything', async (_command, argv, message) => {
    const { exitCode, stderr } = await run(argv, { STATS_URL: 'http://127.0.0.1:9' });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 2 naming the variable for a bad environment', async () => {
    const { exitCode, stderr } = await run(['replay-status', 'rp-1'], { STATS_URL: 'stats:3003' });
    expect(exitCode).toBe(2);
    expect(stderr).toContain('STATS_URL must be an http(s) URL');
  });

  it('exits 3 at once when the stats service does not answer', async () => {
    const { exitCode, stderr, stdout } = await run(['retry-failures', '--dry-run'], { STATS_URL: 'http://127.0.0.1:9' });
    expect(exitCode).toBe(3);
    expect(stderr).toContain('workpipe retry-failures: the stats service at http://127.0.0.1:9 did not answer');
    expect(stderr).toContain('Re-running the command is safe.');
    expect(stdout).toBe('');
  });
});
