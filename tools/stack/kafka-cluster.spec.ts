import { clusterState } from './kafka-cluster';

describe('clusterState', () => {
  it("is the brokers' state when they agree", () => {
    expect(clusterState(['running', 'running', 'running'])).toBe('running');
    expect(clusterState(['stopped', 'stopped', 'stopped'])).toBe('stopped');
  });

  it('is degraded when some brokers run and others do not (one killed by a chaos test)', () => {
    expect(clusterState(['running', 'stopped', 'running'])).toBe('degraded');
  });

  it('is starting while none runs yet but some are on their way', () => {
    expect(clusterState(['starting', 'stopped', 'starting'])).toBe('starting');
  });
});
