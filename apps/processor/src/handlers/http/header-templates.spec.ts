import { ValidationError } from '@workpipe/failure-classification';
import { InvalidHttpWorkTypeError } from './errors/invalid-http-work-type-error';
import { HeaderTemplates, isValidHeaderValue } from './header-templates';

const SECRET = 'PLANTEDs3cr3t';

function failureOf(templates: Record<string, string>, payload: Record<string, unknown>): ValidationError {
  try {
    new HeaderTemplates(templates).fill(payload);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('HeaderTemplates', () => {
  it('fills values unencoded, after the base headers', () => {
    const headers = new HeaderTemplates({ authorization: 'Bearer {auth.token}', accept: 'text/csv' }).fill(
      { auth: { token: 'a b/c' } },
      { accept: 'application/json', 'x-correlation-id': 'c-1' },
    );
    expect(headers).toEqual({ accept: 'text/csv', 'x-correlation-id': 'c-1', authorization: 'Bearer a b/c' });
  });

  it('strips blanks at either end, as fetch would', () => {
    expect(new HeaderTemplates({ 'x-a': ' {v}\t' }).fill({ v: 'x' })).toEqual({ 'x-a': 'x' });
  });

  it.each([
    ['a header injection', `${SECRET}\r\nX-Injected: 1`],
    ['a line feed', `${SECRET}\nX-Injected: 1`],
    ['a NUL', `${SECRET}\u0000`],
    ['a character above U+00FF', `${SECRET}€`],
  ])('fails with VALIDATION naming the header, never the value, on %s', (_label, token) => {
    const failure = failureOf({ 'X-Api-Key': 'k {token}' }, { token });
    expect(failure).toMatchObject({ type: 'VALIDATION', retryable: false, code: 'INVALID_HEADER_VALUE' });
    expect(failure.message).toContain('"X-Api-Key"');
    expect(failure.message).not.toContain(SECRET);
    expect(failure.message).not.toContain('Injected');
  });

  it('checks the base headers too (a correlation id from the submitter)', () => {
    expect(() => new HeaderTemplates({}).fill({}, { 'x-correlation-id': 'a\r\nb' })).toThrow(/"x-correlation-id"/);
  });

  it('fails with VALIDATION when a field is missing', () => {
    expect(failureOf({ authorization: 'Bearer {token}' }, {})).toMatchObject({ code: 'TEMPLATE_FIELD_MISSING' });
  });

  it('refuses an invalid name at start-up, without showing it', () => {
    const create = () => new HeaderTemplates({ ok: 'x', [`Authorization: Bearer ${SECRET}`]: 'x' }, 'report');
    expect(create).toThrow(InvalidHttpWorkTypeError);
    expect(create).toThrow('WORK_TYPES: work type "report": headers: header 2 has an invalid name (not shown)');
  });

  it('refuses an invalid static value at start-up, without showing it', () => {
    const create = () => new HeaderTemplates({ 'x-api-key': `${SECRET}\r\nX-Injected: 1` });
    expect(create).toThrow(InvalidHttpWorkTypeError);
    expect(create).not.toThrow(new RegExp(SECRET));
  });
});

describe('isValidHeaderValue', () => {
  it.each([
    ['plain', true],
    ['tab\tinside', true],
    ['latin-1 é', true],
    ['', true],
    ['cr\r', false],
    ['del\u007f', false],
    ['emoji 😀', false],
  ])('%j -> %s', (value, valid) => {
    expect(isValidHeaderValue(value)).toBe(valid);
  });
});
