import { UsageError } from '../errors/usage-error';
import { DEFAULT_WAIT_TIMEOUT_MS, parseRate, parseReplayFlags, parseReplayStatusArgs, parseRetryFailuresFlags } from './replay-options';

const NOW = Date.parse('2025-03-14T09:15:02Z');
const random = () => 0.25;

describe('parseReplayFlags', () => {
  it('reads an offset range of one partition, with a generated id', () => {
    expect(parseReplayFlags({ partition: ['2'], fromOffset: '140', toOffset: '180' }, NOW, random)).toEqual({
      kind: 'new',
      replayId: 'rp-20250314-091502-400000',
      replayIdGenerated: true,
      partitions: [2],
      fromOffset: 140n,
      toOffset: 180n,
      filter: { types: [], reasons: [] },
      asked: '--partition 2 --from-offset 140 --to-offset 180',
      dryRun: false,
    });
  });

  it('reads repeatable and comma-separated lists, times, pacing and a given id', () => {
    const request = parseReplayFlags(
      {
        partition: ['0,2', '1'],
        since: '2h',
        until: '2025-03-14T09:00:00Z',
        type: ['API_ERROR', 'TIMEOUT,API_ERROR'],
        reason: ['max_attempts'],
        rate: '20/s',
        trial: '5',
        dryRun: true,
        replayId: 'fix-1',
      },
      NOW,
      random,
    );
    expect(request).toMatchObject({
      kind: 'new',
      replayId: 'fix-1',
      replayIdGenerated: false,
      partitions: [0, 1, 2],
      filter: {
        types: ['API_ERROR', 'TIMEOUT'],
        reasons: ['MAX_ATTEMPTS'],
        sinceMs: NOW - 7_200_000,
        untilMs: Date.parse('2025-03-14T09:00:00Z'),
      },
      ratePerSecond: 20,
      trial: 5,
      dryRun: true,
    });
  });

  it('continues a replay with pacing only', () => {
    expect(parseReplayFlags({ continue: 'rp-1', rate: '5', trial: '10' }, NOW, random)).toEqual({
      kind: 'continue',
      replayId: 'rp-1',
      dryRun: false,
      ratePerSecond: 5,
      trial: 10,
    });
  });

  it.each([
    [{}, /say which dead letters to replay/],
    [{ topic: 'x' }, /say which dead letters to replay/],
    [{ continue: 'rp-1', type: ['API_ERROR'] }, /cannot be combined with --type/],
    [{ continue: 'rp 1' }, /--continue must be 1 to 100 letters/],
    [{ partition: ['one'] }, /--partition must be a partition number/],
    [{ partition: ['1'], fromOffset: '-1' }, /--from-offset must be an offset/],
    [{ partition: ['1'], fromOffset: '9', toOffset: '3' }, /--from-offset 9 is after --to-offset 3/],
    [{ since: '1h', until: '2h' }, /--since .* is after --until/],
    [{ type: ['api_error'] }, /--type must be a failure type in upper snake case/],
    [{ reason: ['GAVE_UP'] }, /--reason must be one of MAX_ATTEMPTS, NOT_RETRYABLE, CIRCUIT_OPEN/],
    [{ type: ['API_ERROR'], rate: '0' }, /--rate must be items per second above 0/],
    [{ type: ['API_ERROR'], trial: '0' }, /--trial must be an integer from 1/],
    [{ type: ['API_ERROR'], topic: 'a topic' }, /--topic must be a Kafka topic name/],
    [{ type: ['API_ERROR'], replayId: 'a:b' }, /--replay-id must be/],
  ])('refuses %p', (flags, message) => {
    expect(() => parseReplayFlags(flags, NOW, random)).toThrow(UsageError);
    expect(() => parseReplayFlags(flags, NOW, random)).toThrow(message);
  });
});

describe('parseRetryFailuresFlags', () => {
  it('has defaults: everything, unthrottled, no wait', () => {
    expect(parseRetryFailuresFlags({}, NOW, random)).toEqual({
      types: [],
      dryRun: false,
      wait: false,
      timeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
      replayId: 'rp-20250314-091502-400000',
      replayIdGenerated: true,
    });
  });

  it('reads --max, --type, --rate, --wait and --timeout', () => {
    expect(parseRetryFailuresFlags({ max: '10', type: ['API_ERROR'], rate: '2.5', wait: true, timeout: '90s' }, NOW, random)).toMatchObject({
      max: 10,
      types: ['API_ERROR'],
      ratePerSecond: 2.5,
      wait: true,
      timeoutMs: 90_000,
    });
  });

  it('refuses --timeout without --wait and a --max of 0', () => {
    expect(() => parseRetryFailuresFlags({ timeout: '1m' }, NOW, random)).toThrow(/--timeout only applies with --wait/);
    expect(() => parseRetryFailuresFlags({ max: '0' }, NOW, random)).toThrow(/--max must be an integer from 1/);
  });
});

describe('parseReplayStatusArgs', () => {
  it('reads the id, --wait and --timeout', () => {
    expect(parseReplayStatusArgs('rp-1', { wait: true, timeout: '10m' })).toEqual({ replayId: 'rp-1', wait: true, timeoutMs: 600_000 });
    expect(parseReplayStatusArgs('rp-1', {})).toEqual({ replayId: 'rp-1', wait: false, timeoutMs: DEFAULT_WAIT_TIMEOUT_MS });
  });

  it('refuses a bad id', () => {
    expect(() => parseReplayStatusArgs('rp:1', {})).toThrow(/REPLAY_ID must be/);
  });
});

describe('parseRate', () => {
  it.each([['20', 20], ['20/s', 20], ['0.5', 0.5], ['10000', 10_000]])('reads %s', (text, rate) => {
    expect(parseRate(text, 'hint')).toBe(rate);
  });

  it.each(['fast', '10/m', '-1', '10001'])('refuses %p', (text) => {
    expect(() => parseRate(text, 'hint')).toThrow(/--rate must be/);
  });
});
