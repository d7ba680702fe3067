import { brokerOutageAnswers } from './broker-outage-answers';

describe('brokerOutageAnswers', () => {
  const startedAt = 1_000_000;
  const faults = [
    { number: 1, kind: 'kill-stats' as const, injectedAtMs: 1_000, recoveredAtMs: 4_000 },
    { number: 2, kind: 'restart-broker' as const, injectedAtMs: 10_000, recoveredAtMs: 20_000 },
  ];

  it('counts the 503s and other answers from the broker going down until the grace after its return', () => {
    const unavailable = [
      { at: startedAt + 9_000, status: 503, reason: '503 before' },
      { at: startedAt + 12_000, status: 503, reason: '503 UNAVAILABLE' },
      { at: startedAt + 24_000, status: 503, reason: '503 UNAVAILABLE' },
      { at: startedAt + 15_000, status: null, reason: 'cannot reach' },
      { at: startedAt + 40_000, status: 503, reason: '503 after the grace' },
    ];
    const accepted = [startedAt + 8_000, startedAt + 26_000, startedAt + 30_000];
    expect(brokerOutageAnswers(faults, unavailable, accepted, startedAt, 5_000)).toEqual([
      { fault: 2, unavailable503: 2, other: ['cannot reach'], acceptedAfterMs: 6_000, acceptedWhileDown: 0 },
    ]);
  });

  it('counts the requests accepted while the broker was down', () => {
    const accepted = [startedAt + 9_999, startedAt + 10_000, startedAt + 15_000, startedAt + 19_999, startedAt + 20_000];
    expect(brokerOutageAnswers(faults, [], accepted, startedAt, 5_000)).toEqual([
      { fault: 2, unavailable503: 0, other: [], acceptedAfterMs: 0, acceptedWhileDown: 3 },
    ]);
  });

  it('says so when nothing was accepted after the broker came back', () => {
    expect(brokerOutageAnswers(faults, [], [startedAt + 5_000], startedAt, 5_000)).toEqual([
      { fault: 2, unavailable503: 0, other: [], acceptedAfterMs: null, acceptedWhileDown: 0 },
    ]);
  });
});
