import { UsageError } from '../errors/usage-error';
import { parseDurationMs, parseTimeBound } from './time-input';

const NOW = Date.parse('2025-03-14T12:00:00Z');

describe('parseTimeBound', () => {
  it.each([
    ['2025-03-14T09:00:00Z', '2025-03-14T09:00:00.000Z'],
    ['2025-03-14T10:30:00.250+01:00', '2025-03-14T09:30:00.250Z'],
    ['2025-03-14T09:00Z', '2025-03-14T09:00:00.000Z'],
    ['2025-03-13', '2025-03-13T00:00:00.000Z'],
    ['2h', '2025-03-14T10:00:00.000Z'],
    ['90m', '2025-03-14T10:30:00.000Z'],
    ['1d', '2025-03-13T12:00:00.000Z'],
    ['1.5h', '2025-03-14T10:30:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(parseTimeBound(text, '--since', NOW, 'hint')).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2025-03-14T09:00:00', '14/03/2025', '2025-13-40', '-2h', ''])('refuses %p naming the flag', (text) => {
    expect(() => parseTimeBound(text, '--until', NOW, 'hint')).toThrow(UsageError);
    expect(() => parseTimeBound(text, '--until', NOW, 'hint')).toThrow(/--until must be an ISO timestamp/);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1w', 604_800_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text, '--timeout', 'hint')).toBe(ms);
  });

  it.each(['0s', '10', 'ten minutes', '5y'])('refuses %p', (text) => {
    expect(() => parseDurationMs(text, '--timeout', 'hint')).toThrow(/--timeout must be a duration/);
  });
});
