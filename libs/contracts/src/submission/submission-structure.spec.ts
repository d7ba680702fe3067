import { itemStructureProblem, MAX_PAYLOAD_DEPTH } from './submission-structure';

const deep = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};

describe('itemStructureProblem', () => {
  it('accepts a payload nested up to the limit', () => {
    expect(itemStructureProblem({ key: 'k', type: 't', payload: deep(MAX_PAYLOAD_DEPTH) })).toBeUndefined();
    expect(itemStructureProblem('not an item')).toBeUndefined();
  });

  it('refuses a deeper payload, naming the limit, and costs no stack at any depth', () => {
    expect(itemStructureProblem({ key: 'k', payload: deep(MAX_PAYLOAD_DEPTH + 1) })).toMatch(/^payload(\.a)+: the payload nests .* more than 32 levels deep; at most 32 are allowed$/);
    let value: unknown = 1;
    for (let i = 0; i < 200_000; i++) value = [value];
    expect(itemStructureProblem({ payload: { value } })).toMatch(/more than 32 levels/);
  });

  it('refuses __proto__, constructor and prototype keys anywhere in the item', () => {
    expect(itemStructureProblem(JSON.parse('{"__proto__":{"x":1},"key":"k"}'))).toBe('__proto__: forbidden key (__proto__, constructor, prototype are not allowed anywhere)');
    expect(itemStructureProblem({ payload: { list: [{ constructor: 1 }] } })).toMatch(/^payload\.list\.0\.constructor: forbidden key/);
  });
});
