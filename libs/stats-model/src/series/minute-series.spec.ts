import { seriesFields, sumPoints, toMinutePoints, windowMinutes } from './minute-series';

describe('per-minute series', () => {
  const base = Math.floor(Date.parse('2026-11-20T10:00:00.000Z') / 60_000);

  it('turns fields into one point per minute, gaps filled, zeros ignored', () => {
    const points = toMinutePoints({
      [`${base}:submitted`]: 104,
      [`${base}:succeeded`]: 50,
      [`${base + 2}:failed`]: 3,
      [`${base + 3}:abandoned`]: 0,
      unrelated: 9,
    });
    expect(points).toEqual([
      { minute: '2026-11-20T10:00:00.000Z', submitted: 104, succeeded: 50, failed: 0, abandoned: 0 },
      { minute: '2026-11-20T10:01:00.000Z', submitted: 0, succeeded: 0, failed: 0, abandoned: 0 },
      { minute: '2026-11-20T10:02:00.000Z', submitted: 0, succeeded: 0, failed: 3, abandoned: 0 },
    ]);
    expect(sumPoints(points)).toEqual({ submitted: 104, succeeded: 50, failed: 3, abandoned: 0 });
  });

  it('honours explicit bounds', () => {
    expect(toMinutePoints({}, { fromMinute: base, toMinute: base + 1 })).toHaveLength(2);
    expect(toMinutePoints({})).toEqual([]);
  });

  it('names the fields of a window ending with the current minute', () => {
    const now = (base + 4) * 60_000 + 30_000;
    expect(windowMinutes(now, 5)).toEqual({ fromMinute: base, toMinute: base + 4 });
    expect(seriesFields(base, base)).toEqual([`${base}:submitted`, `${base}:succeeded`, `${base}:failed`, `${base}:abandoned`]);
  });
});
