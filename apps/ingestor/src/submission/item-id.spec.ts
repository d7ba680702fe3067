import { IdentifierSchema } from '@workpipe/contracts';
import { deriveItemId } from './item-id';

describe('deriveItemId', () => {
  it('is type, key and a 24-character digest of the content', () => {
    expect(deriveItemId({ type: 'report', key: 'PF-1', payload: { a: 1 } })).toMatch(/^report:PF-1:[0-9a-f]{24}$/);
  });

  it('keeps the whole digest when type and key are long: the key gives way, as a hash of itself', () => {
    const type = `t${'y'.repeat(99)}`;
    const ids = ['a', 'b'].map((last) => deriveItemId({ type, key: `${'k'.repeat(199)}${last}`, payload: {} }));
    for (const id of ids) {
      expect(id).toMatch(new RegExp(`^${type}:k\\.[0-9a-f]{24}:[0-9a-f]{24}$`));
      expect(IdentifierSchema.safeParse(id).success).toBe(true);
    }
    // Keys that differ only past the old 200-character cut no longer collide.
    expect(ids[0]).not.toBe(ids[1]);
  });
});
