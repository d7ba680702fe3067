import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FailureProfileError } from './errors/failure-profile-error';
import { PRESET_NAMES, failureProfilePreset } from './failure-profile-presets';
import {
  DEFAULT_FAULT_MIX,
  DEFAULT_RETRY_FAULT_MIX,
  FailureProfileSchema,
} from './failure-profile.schema';
import { loadFailureProfileFile, parseFailureProfile, resolveFailureProfile } from './load-failure-profile';

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FailureProfileError);
    return (error as FailureProfileError).issues;
  }
  throw new Error('expected a FailureProfileError');
}

describe('failure profile schema', () => {
  it('fills every field with the documented defaults', () => {
    expect(FailureProfileSchema.parse({})).toEqual({
      name: 'custom',
      firstCallFaultRate: 0.43,
      retryFaultRate: 0.25,
      faultMix: DEFAULT_FAULT_MIX,
      retryFaultMix: DEFAULT_RETRY_FAULT_MIX,
      alwaysFailing: 3,
      alwaysFailingFault: 'server_error',
      script: {},
      retryAfterSeconds: 2,
      timeoutHoldMs: 30_000,
      latencyMs: [5, 30],
    });
  });

  it.each([
    ['a rate above 1', { firstCallFaultRate: 1.2 }, 'firstCallFaultRate: must be <= 1'],
    ['a misspelt field', { firstCallFailureRate: 0.5 }, 'firstCallFailureRate'],
    ['an unknown fault in the mix', { faultMix: { boom: 1 } }, 'faultMix'],
    ['a mix with no positive weight', { faultMix: { server_error: 0 } }, 'faultMix: at least one fault needs a positive weight'],
    ['latency min above max', { latencyMs: [30, 5] }, 'latencyMs: latencyMs must be [min, max] with min <= max'],
    ['an unknown portfolio in the script', { script: { 'PF-0999': ['ok'] } }, 'script.PF-0999'],
    ['an unknown outcome in the script', { script: { 'PF-0001': ['explode'] } }, 'script.PF-0001.0'],
    ['more problematic portfolios than there are', { alwaysFailing: 105 }, 'alwaysFailing'],
    ['a problematic portfolio listed twice', { alwaysFailing: ['PF-0001', 'PF-0001'] }, 'alwaysFailing.1: PF-0001 is listed twice'],
    ['a negative hold', { timeoutHoldMs: -1 }, 'timeoutHoldMs'],
  ])('rejects %s, naming the field', (_label, input, expected) => {
    const issues = issuesOf(() => parseFailureProfile(input));
    expect(issues.join('\n')).toContain(expected);
  });

  it('rejects input that is not an object', () => {
    expect(() => parseFailureProfile([1, 2])).toThrow(FailureProfileError);
    expect(() => parseFailureProfile('seed')).toThrow(/must be a JSON object/);
  });

  it('starts from a preset with "extends" and overrides whole fields', () => {
    const profile = parseFailureProfile({ extends: 'always-timeout', timeoutHoldMs: 200 });
    expect(profile.name).toBe('always-timeout');
    expect(profile.faultMix).toEqual({ timeout: 1 });
    expect(profile.timeoutHoldMs).toBe(200);
    expect(() => parseFailureProfile({ extends: 'nope' })).toThrow(/"extends" must be one of/);
  });
});

describe('presets', () => {
  it('offers seed, healthy, chaos and always-<fault>', () => {
    expect(PRESET_NAMES).toEqual(
      expect.arrayContaining(['seed', 'healthy', 'chaos', 'always-timeout', 'always-server_error', 'always-malformed']),
    );
    for (const name of PRESET_NAMES) {
      expect(failureProfilePreset(name).name).toBe(name);
    }
  });

  it('makes chaos fail more than seed, and healthy never', () => {
    const seed = failureProfilePreset('seed');
    const chaos = failureProfilePreset('chaos');
    expect(chaos.firstCallFaultRate).toBeGreaterThan(seed.firstCallFaultRate);
    expect(chaos.retryFaultRate).toBeGreaterThan(seed.retryFaultRate);
    const healthy = failureProfilePreset('healthy');
    expect([healthy.firstCallFaultRate, healthy.retryFaultRate, healthy.alwaysFailing]).toEqual([0, 0, 0]);
  });
});

describe('resolveFailureProfile', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'simulator-profile-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('resolves a preset name, inline JSON, a file and an object', async () => {
    const path = join(folder, 'profile.json');
    await writeFile(path, JSON.stringify({ name: 'from-file', extends: 'healthy', script: { 'PF-0007': ['server_error'] } }));
    expect(resolveFailureProfile('chaos').name).toBe('chaos');
    expect(resolveFailureProfile('{"firstCallFaultRate":0.1}').firstCallFaultRate).toBe(0.1);
    const fromFile = resolveFailureProfile(path);
    expect(fromFile.name).toBe('from-file');
    expect(fromFile.firstCallFaultRate).toBe(0);
    expect(fromFile.script).toEqual({ 'PF-0007': ['server_error'] });
    expect(resolveFailureProfile({ retryAfterSeconds: 9 }).retryAfterSeconds).toBe(9);
  });

  it('says what is wrong with a bad file', async () => {
    const broken = join(folder, 'broken.json');
    await writeFile(broken, '{ "firstCallFaultRate": ');
    expect(() => loadFailureProfileFile(broken)).toThrow(/is not valid JSON/);
    const invalid = join(folder, 'invalid.json');
    await writeFile(invalid, '{ "retryFaultRate": -1 }');
    expect(() => resolveFailureProfile(invalid)).toThrow(new RegExp(`invalid failure profile from ${invalid}: retryFaultRate`));
    expect(() => resolveFailureProfile(join(folder, 'missing.json'))).toThrow(/neither a preset .* nor an existing file/);
  });

  it('refuses file paths when files are not allowed (profiles sent over HTTP)', async () => {
    const path = join(folder, 'profile.json');
    await writeFile(path, '{}');
    expect(() => resolveFailureProfile(path, false)).toThrow(/unknown failure profile preset/);
  });
});
