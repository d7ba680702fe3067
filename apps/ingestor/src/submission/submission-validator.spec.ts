import { deriveItemId } from './item-id';
import { validateSubmissions } from './submission-validator';

const item = (overrides: Record<string, unknown> = {}) => ({
  itemId: 'PF-0001',
  key: 'PF-0001',
  type: 'portfolio-report',
  payload: { portfolioId: 'PF-0001' },
  ...overrides,
});

describe('validateSubmissions', () => {
  it('accepts valid items and keeps their index', () => {
    const outcome = validateSubmissions([item(), item({ itemId: 'PF-0002', key: 'PF-0002' })], 'b1');
    expect(outcome.valid.map((v) => [v.index, v.itemId, v.submission.batchId])).toEqual([
      [0, 'PF-0001', 'b1'],
      [1, 'PF-0002', 'b1'],
    ]);
    expect(outcome.rejected).toEqual([]);
  });

  it('rejects each bad item with a reason naming the field, without sinking the others', () => {
    const outcome = validateSubmissions(
      [item({ key: 42 }), item({ itemId: 'ok' }), 'text', item({ itemId: 'x', type: 'Bad Type', extra: 1 })],
      undefined,
    );
    expect(outcome.valid.map((v) => v.itemId)).toEqual(['ok']);
    expect(outcome.rejected.map((r) => r.index)).toEqual([0, 2, 3]);
    expect(outcome.rejected[0]!.reason).toMatch(/^key: /);
    expect(outcome.rejected[1]!.reason).toMatch(/expected object/);
    expect(outcome.rejected[2]!.reason).toMatch(/type: .*lower-case/);
    expect(outcome.rejected[2]!.reason).toMatch(/extra/);
  });

  it('reports repeats within the request as duplicates; the first one wins', () => {
    const outcome = validateSubmissions([item(), item(), item({ itemId: 'PF-0002' })], undefined);
    expect(outcome.valid.map((v) => v.index)).toEqual([0, 2]);
    expect(outcome.duplicates).toEqual([{ index: 1, itemId: 'PF-0001', reason: 'DUPLICATE_IN_REQUEST' }]);
  });

  it('derives a stable id from the content when none is given', () => {
    const a = validateSubmissions([item({ itemId: undefined, payload: { a: 1, b: 2 } })], undefined);
    const b = validateSubmissions([item({ itemId: undefined, payload: { b: 2, a: 1 } })], undefined);
    expect(a.valid[0]!.itemId).toBe(b.valid[0]!.itemId);
    expect(a.valid[0]!.itemId).toMatch(/^portfolio-report:PF-0001:[0-9a-f]{24}$/);
    expect(deriveItemId({ type: 't', key: 'k', payload: { a: 1 } })).not.toBe(
      deriveItemId({ type: 't', key: 'k', payload: { a: 2 } }),
    );
  });

  it('refuses an item whose batchId contradicts the batch', () => {
    const outcome = validateSubmissions([item({ batchId: 'other' })], 'b1');
    expect(outcome.rejected[0]!.reason).toMatch(/batchId/);
  });
});
