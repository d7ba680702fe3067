import { ValidationError } from '@workpipe/failure-classification';
import { InvalidHttpWorkTypeError } from './errors/invalid-http-work-type-error';
import { PLACEHOLDER, payloadFieldText } from './payload-field';

/** RFC 9110 field name: a token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Blanks fetch would strip from either end of a value.
const EDGE_BLANKS = /^[\t ]+|[\t ]+$/g;

/**
 * Request headers filled from the payload (values unencoded: `Bearer {token}`), built and checked
 * here rather than by `fetch`, whose error quotes the offending value (`Headers.append: "<value>"
 * is an invalid header value`). A value is valid when, blanks at either end removed, it holds no
 * control character but tab and no character above U+00FF. Messages name the header, never the
 * value.
 */
export class HeaderTemplates {
  private readonly templates: readonly (readonly [name: string, template: string])[];

  /**
   * @param templates header name -> value template, as configured (never logged)
   * @param workType the work type, for messages
   * @throws InvalidHttpWorkTypeError for an invalid name, or an invalid value without placeholders
   */
  constructor(templates: Readonly<Record<string, string>>, workType?: string) {
    this.templates = Object.entries(templates);
    this.templates.forEach(([name, template], index) => {
      // The name is not shown: a misplaced `Authorization: Bearer ...` would be a secret.
      if (!HEADER_NAME.test(name)) throw new InvalidHttpWorkTypeError(workType, `headers: header ${String(index + 1)} has an invalid name (not shown)`);
      if (template.search(PLACEHOLDER) === -1 && !isValidHeaderValue(template.replace(EDGE_BLANKS, ''))) {
        throw new InvalidHttpWorkTypeError(workType, `headers: the value of header "${name}" is not a valid header value (not shown)`);
      }
    });
  }

  /**
   * The headers for one item, after `base` (configured headers win over it, as before).
   * @throws ValidationError when a field is missing or a filled value is not a valid header value
   */
  fill(payload: Readonly<Record<string, unknown>>, base: Readonly<Record<string, string>> = {}): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(base)) headers[name] = checkedValue(name, value);
    for (const [name, template] of this.templates) {
      const value = template.replace(PLACEHOLDER, (_match, field: string) => payloadFieldText(payload, field, `header "${name}"`));
      headers[name] = checkedValue(name, value);
    }
    return headers;
  }
}

/** true for a header value fetch and node:http accept: no CR, LF, NUL or other control but tab, nothing above U+00FF. */
export function isValidHeaderValue(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code !== 0x09 && (code < 0x20 || code === 0x7f || code > 0xff)) return false;
  }
  return true;
}

function checkedValue(name: string, value: string): string {
  const normalized = value.replace(EDGE_BLANKS, '');
  if (!isValidHeaderValue(normalized)) {
    throw new ValidationError(`request header "${name}" would have an invalid value (a control character or a character above U+00FF; not shown)`, {
      code: 'INVALID_HEADER_VALUE',
    });
  }
  return normalized;
}
