import { parseProcStat } from './process-table';

describe('parseProcStat', () => {
  it('reads the state and start time of a plain command', () => {
    const stat =
      '14983 (java) S 1 14983 14983 0 -1 4194560 81443 0 12 0 2161 512 0 0 20 0 83 0 112304 4337520640 123456 18446744073709551615 1 1 0 0 0 0 0 4096 16899 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcStat(stat)).toEqual({ state: 'S', startTicks: 112304 });
  });

  it('copes with spaces and parentheses in the command name', () => {
    const stat = '42 (my (odd) name) Z 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0 18446744073709551615 0';
    expect(parseProcStat(stat)).toEqual({ state: 'Z', startTicks: 999 });
  });

  it('rejects text that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
  });
});
