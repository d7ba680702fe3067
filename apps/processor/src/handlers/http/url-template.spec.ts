import { ValidationError } from '@workpipe/failure-classification';
import { InvalidHttpWorkTypeError } from './errors/invalid-http-work-type-error';
import { UrlTemplate } from './url-template';

const SECRET = 'PLANTEDs3cr3t';

/** The failure of filling `template` with `payload`, as the processor would record it. */
function failureOf(template: string, payload: Record<string, unknown>): ValidationError {
  try {
    new UrlTemplate(template).fill(payload);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('UrlTemplate: filling', () => {
  it('fills and encodes fields, dot paths included', () => {
    expect(new UrlTemplate('http://h/p/{id}/r?d={date}&n={a.b}').fill({ id: 'PF 1', date: '2026-11-22', a: { b: 3 } })).toBe(
      'http://h/p/PF%201/r?d=2026-11-22&n=3',
    );
  });

  it('fails with a non-retryable VALIDATION error when a field is missing', () => {
    expect(() => new UrlTemplate('http://h/{id}').fill({})).toThrow(ValidationError);
    expect(() => new UrlTemplate('http://h/{id}').fill({ id: { nested: true } })).toThrow(/"id"/);
    expect(failureOf('http://h/{id}', {})).toMatchObject({ type: 'VALIDATION', retryable: false, code: 'TEMPLATE_FIELD_MISSING' });
  });

  it('keeps a path value in one segment: / ? # @ \\ are encoded', () => {
    const template = new UrlTemplate('https://api.example.com/t/{id}/report');
    expect(template.fill({ id: 'a/../b' })).toBe('https://api.example.com/t/a%2F..%2Fb/report');
    expect(template.fill({ id: 'x?admin=1#f' })).toBe('https://api.example.com/t/x%3Fadmin%3D1%23f/report');
    expect(template.fill({ id: '@evil.example.com' })).toBe('https://api.example.com/t/%40evil.example.com/report');
    expect(template.fill({ id: '..\\..' })).toBe('https://api.example.com/t/..%5C../report');
    expect(template.fill({ id: '//evil.example.com' })).toBe('https://api.example.com/t/%2F%2Fevil.example.com/report');
  });

  it('takes an encoded dot segment literally (its % is encoded)', () => {
    expect(new UrlTemplate('https://api.example.com/t/{id}').fill({ id: '%2e%2e' })).toBe('https://api.example.com/t/%252e%252e');
  });

  it('keeps a query value a query value', () => {
    expect(new UrlTemplate('https://api.example.com/r?x={x}&y=1').fill({ x: 'a&y=2#frag' })).toBe(
      'https://api.example.com/r?x=a%26y%3D2%23frag&y=1',
    );
  });

  it.each([
    ['..', 'https://api.example.com/t/{id}/report'],
    ['.', 'https://api.example.com/t/{id}/report'],
    ['..', 'https://api.example.com/t/{id}'],
  ])('rejects the path value %j as a VALIDATION failure (%s)', (id, template) => {
    expect(failureOf(template, { id })).toMatchObject({ type: 'VALIDATION', retryable: false, code: 'TEMPLATE_DOT_SEGMENT' });
  });

  it('rejects a dot segment made of static text and a value', () => {
    expect(failureOf('https://api.example.com/t/.{x}/r', { x: '.' })).toMatchObject({ code: 'TEMPLATE_DOT_SEGMENT' });
    expect(failureOf('https://api.example.com/t/{a}{b}/r', { a: '', b: '..' })).toMatchObject({ code: 'TEMPLATE_DOT_SEGMENT' });
  });

  it('rejects a path value . or .. even inside a segment, and accepts dots elsewhere', () => {
    expect(failureOf('https://api.example.com/t/{id}.json', { id: '..' })).toMatchObject({ code: 'TEMPLATE_DOT_SEGMENT' });
    expect(new UrlTemplate('https://api.example.com/t/{id}.json?v={v}').fill({ id: 'a..b', v: '..' })).toBe(
      'https://api.example.com/t/a..b.json?v=..',
    );
  });

  it('rejects a value that would make an empty path segment', () => {
    expect(failureOf('https://api.example.com/t/{id}/report', { id: '' })).toMatchObject({ type: 'VALIDATION', code: 'TEMPLATE_EMPTY_SEGMENT' });
    expect(failureOf('https://api.example.com/t/{id}', { id: '' })).toMatchObject({ code: 'TEMPLATE_EMPTY_SEGMENT' });
    expect(new UrlTemplate('https://api.example.com/t/PF-{id}?q={q}').fill({ id: '', q: '' })).toBe('https://api.example.com/t/PF-?q=');
  });

  it('names the field, never the value or the URL', () => {
    for (const id of ['..', '']) {
      const { message } = failureOf(`https://api.example.com/t/{id}?key=${SECRET}`, { id });
      expect(message).toContain('"id"');
      expect(message).not.toContain(SECRET);
    }
  });
});

describe('UrlTemplate: the template itself', () => {
  it('knows its origin, host and static path prefix', () => {
    const template = new UrlTemplate('https://API.example.com:8443/t/PF-{id}/r?d={date}');
    expect(template).toMatchObject({ origin: 'https://api.example.com:8443', hostname: 'api.example.com', pathPrefix: '/t/PF-' });
    expect(new UrlTemplate('https://h.example.com?d={date}').pathPrefix).toBe('/');
    expect(new UrlTemplate('https://h.example.com/a/b').pathPrefix).toBe('/a/b');
  });

  it.each([
    ['a placeholder in the host', 'https://{tenant}.example.com/r'],
    ['a placeholder as the host (a value with @ would pick it)', 'https://{host}/r'],
    ['a placeholder right after the host', 'https://api.example.com{path}'],
    ['a placeholder in the port', 'https://api.example.com:{port}/r'],
    ['credentials', `https://user:${SECRET}@api.example.com/r/{id}`],
    ['no scheme', 'api.example.com/r/{id}'],
    ['another scheme', 'file:///etc/{name}'],
    ['an invalid host', 'https://exa mple.com/{id}'],
  ])('refuses %s at start-up, without quoting the template', (_label, template) => {
    expect(() => new UrlTemplate(template, 'report')).toThrow(InvalidHttpWorkTypeError);
    expect(() => new UrlTemplate(template, 'report')).toThrow(/^WORK_TYPES: work type "report": url: /);
    expect(() => new UrlTemplate(template, 'report')).not.toThrow(new RegExp(SECRET));
  });
});
