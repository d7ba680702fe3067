import { z } from 'zod';
import { jsonEnv, notJsonMessage } from './json-env';

const SECRET = 'PLANTEDs3cr3t';

describe('jsonEnv', () => {
  const schema = jsonEnv(z.record(z.string(), z.number()));

  it('parses and validates', () => {
    expect(schema.parse('{"a":1}')).toEqual({ a: 1 });
  });

  it('reports a syntax error by position, never quoting the text', () => {
    const result = schema.safeParse(`{"a":"Bearer ${SECRET}" x}`);
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toEqual(['not valid JSON (at position 28)']);
    expect(JSON.stringify(result.error?.issues)).not.toContain(SECRET);
  });
});

describe('notJsonMessage', () => {
  it('names the position when there is one', () => {
    expect(notJsonMessage('{"a":1')).toBe('not valid JSON (at position 6)');
  });
});
