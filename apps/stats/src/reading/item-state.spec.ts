import { itemStateOf, successAtOf } from './item-state';

describe('itemStateOf', () => {
  const base = { id: 'PF-1', k: 'PF', b: 'b1', wt: 'report', ca: '1763632800000', ep: '1', ab: '0', fc: '2', hist: '2', sc: '0' };

  it('is undefined for an item never seen', () => {
    expect(itemStateOf('x', {})).toBeUndefined();
  });

  it('reads a pending item with its last failure', () => {
    const state = itemStateOf('PF-1', { ...base, lfa: '1763632801000', lft: 'API_ERROR', lfm: '500' });
    expect(state).toMatchObject({ status: 'pending', key: 'PF', batchId: 'b1', failedAttempts: 2, success: null });
    expect(state?.lastFailure).toEqual({ type: 'API_ERROR', message: '500', at: '2025-11-20T10:00:01.000Z' });
  });

  it('reads an abandoned item, and a replay that succeeded', () => {
    expect(itemStateOf('PF-1', { ...base, ab: '1' })?.status).toBe('abandoned');
    expect(itemStateOf('PF-1', { ...base, ab: '1', ep: '2' })?.status).toBe('pending');
    const recovered = itemStateOf('PF-1', { ...base, ab: '1', ep: '2', sc: '1', sa: '1763632900000', sat: '1', sr: 'rp-1' });
    expect(recovered).toMatchObject({ status: 'succeeded', success: { attempt: 1, replayId: 'rp-1' } });
  });

  it('gives a success time only for an item that succeeded', () => {
    expect(successAtOf('1', '5')).toBe(5);
    expect(successAtOf('0', '5')).toBeUndefined();
    expect(successAtOf(null, null)).toBeUndefined();
  });
});
