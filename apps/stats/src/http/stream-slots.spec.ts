import { StreamSlots } from './stream-slots';

describe('StreamSlots', () => {
  it('caps the streams of one caller, and of the instance', () => {
    const slots = new StreamSlots(3, 2);
    const a1 = slots.take('key 1');
    const a2 = slots.take('key 1');
    expect([a1.ok, a2.ok]).toEqual([true, true]);
    expect(slots.take('key 1')).toEqual({ ok: false, refusal: { scope: 'key', limit: 2 } });
    expect(slots.take('key 2').ok).toBe(true);
    expect(slots.take('key 3')).toEqual({ ok: false, refusal: { scope: 'service', limit: 3 } });
    expect(slots.open).toBe(3);
  });

  it('gives a slot back once, however often it is released', () => {
    const slots = new StreamSlots(2, 2);
    const first = slots.take('key 1');
    if (!first.ok) throw new Error('expected a slot');
    first.release();
    first.release();
    expect(slots.open).toBe(0);
    expect(slots.take('key 1').ok && slots.take('key 1').ok).toBe(true);
    expect(slots.take('key 1').ok).toBe(false);
  });
});
