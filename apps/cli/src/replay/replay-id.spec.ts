import { generateReplayId, parseReplayId } from './replay-id';

describe('replay ids', () => {
  it('generates rp-<yyyymmdd-hhmmss>-<6 hex> from the clock and randomness', () => {
    expect(generateReplayId(Date.parse('2025-03-14T09:15:02Z'), () => 0.25)).toBe('rp-20250314-091502-400000');
    expect(generateReplayId(Date.parse('2025-03-14T09:15:02Z'), () => 0)).toBe('rp-20250314-091502-000000');
  });

  it('accepts ids usable in Redis keys, headers and command lines', () => {
    expect(parseReplayId(' nightly-fix.2 ', '--replay-id', 'hint')).toBe('nightly-fix.2');
  });

  it.each(['', 'has space', 'a:b', '-leading', 'done', 'x'.repeat(101)])('refuses %p', (id) => {
    expect(() => parseReplayId(id, '--replay-id', 'hint')).toThrow(/--replay-id must be 1 to 100 letters/);
  });
});
