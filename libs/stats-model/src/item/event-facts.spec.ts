import { ItemStory, factOfStoryEvent } from '../testing/item-story';
import { compareBytes, laterFailure } from './event-facts';
import { factId } from './item-fact';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');

describe('facts from events', () => {
  const story = new ItemStory({ itemId: 'i1', batchId: 'b1', createdAtMs: T0 })
    .submit()
    .fail('API_ERROR', T0 + 1_000)
    .retry(T0 + 61_000)
    .fail('CIRCUIT_OPEN', T0 + 62_000)
    .defer(T0 + 72_000)
    .fail('TIMEOUT', T0 + 73_000)
    .abandon('MAX_ATTEMPTS', T0 + 74_000)
    .replay('r9', T0 + 300_000)
    .succeed(T0 + 301_000);
  const facts = story.events.map(factOfStoryEvent);

  it('tells a submission, a retry, a deferral and a replay apart', () => {
    const work = facts.filter((fact) => fact.kind === 'work');
    expect(work.map((fact) => (fact.kind === 'work' ? [fact.phase, fact.attempt, fact.deferrals, fact.replayId] : []))).toEqual([
      ['submission', 1, 0, ''],
      ['retry', 2, 0, ''],
      ['retry', 2, 1, ''],
      ['replay', 1, 0, 'r9'],
    ]);
  });

  it('measures the retry wait from the previous failure to the work topic', () => {
    const waits = facts.flatMap((fact) => (fact.kind === 'work' && fact.retryWaitMs !== undefined ? [fact.retryWaitMs] : []));
    expect(waits).toEqual([60_000, 10_000]);
  });

  it('identifies attempts by (replay, attempt, deferrals) and abandonments by epoch', () => {
    expect(facts.map(factId)).toEqual([
      'w||1|0',
      'f||1|0',
      'w||2|0',
      'f||2|0',
      'w||2|1',
      'f||2|1',
      'a|',
      'w|r9|1|0',
      's|r9|1',
    ]);
  });

  it('carries the history marks: a failure counts itself, a success its history', () => {
    const failed = facts[5];
    expect(failed).toMatchObject({ kind: 'failed', historyLength: 3, firstFailureAtMs: T0 + 1_000 });
    expect(failed?.lastFailure).toMatchObject({ type: 'TIMEOUT', atMs: T0 + 73_000 });
    const succeeded = facts[8];
    expect(succeeded).toMatchObject({ kind: 'succeeded', historyLength: 3, batchId: 'b1', replayId: 'r9' });
  });

  it('picks the later failure by time, then by bytes, in either order', () => {
    const a = { atMs: 5, type: 'API_ERROR', message: 'x' };
    const b = { atMs: 5, type: 'TIMEOUT', message: 'x' };
    expect(laterFailure(a, b)).toBe(b);
    expect(laterFailure(b, a)).toBe(b);
    expect(laterFailure(undefined, a)).toBe(a);
    expect(compareBytes('é', 'z')).toBeGreaterThan(0); // UTF-8 bytes, as Lua compares
  });
});
