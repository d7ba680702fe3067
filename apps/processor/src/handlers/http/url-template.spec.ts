import { ValidationError } from '@workpipe/failure-classification';
import { fillTemplate } from './url-template';

describe('fillTemplate', () => {
  it('fills and encodes fields, dot paths included', () => {
    expect(fillTemplate('http://h/p/{id}/r?d={date}&n={a.b}', { id: 'PF 1', date: '2026-11-22', a: { b: 3 } })).toBe(
      'http://h/p/PF%201/r?d=2026-11-22&n=3',
    );
  });

  it('fails with a non-retryable VALIDATION error when a field is missing', () => {
    expect(() => fillTemplate('http://h/{id}', {})).toThrow(ValidationError);
    expect(() => fillTemplate('http://h/{id}', { id: { nested: true } })).toThrow(/"id"/);
  });
});
