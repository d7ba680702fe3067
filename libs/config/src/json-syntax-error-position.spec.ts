import { jsonSyntaxErrorPosition } from './json-syntax-error-position';

describe('jsonSyntaxErrorPosition', () => {
  it.each([
    '{}',
    ' [1, -2.5e3, true, false, null, "a\\"\\u00e9\\n"] ',
    '{"a":{"b":[{}]},"c":""}',
    '0',
    '"text"',
  ])('finds no error in %s', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonSyntaxErrorPosition(text)).toBeUndefined();
  });

  it.each([
    ['', 0],
    ['[{', 2],
    ['{"a":1,}', 7],
    ["{'a':1}", 1],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['{"report":{"url":"x"}}}', 22],
    ['tru', 0],
    ['01', 1],
    ['"a\tb"', 2],
    ['"\\x"', 1],
    ['"\\u12"', 1],
    ['{"a":"unterminated', 18],
    ['[-]', 1],
  ])('finds the error of %j at %i, and JSON.parse agrees it is an error', (text, position) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxErrorPosition(text)).toBe(position);
  });

  it('reports nesting deeper than any configuration where it gets too deep', () => {
    expect(jsonSyntaxErrorPosition('['.repeat(1_000) + ']'.repeat(1_000))).toBe(257);
  });
});
