import { ProgressRate } from './progress-rate';

describe('ProgressRate', () => {
  it('measures items per second and the time left', () => {
    const rate = new ProgressRate(10_000);
    rate.add(0, 0);
    expect(rate.perSecond()).toBeUndefined();
    rate.add(2000, 10);
    expect(rate.perSecond()).toBe(5);
    expect(rate.etaSeconds(30)).toBe(4);
  });

  it('forgets samples older than its window', () => {
    const rate = new ProgressRate(1000);
    rate.add(0, 0);
    rate.add(5000, 100);
    rate.add(5500, 110);
    rate.add(6000, 120);
    expect(rate.perSecond()).toBe(20);
  });
});
