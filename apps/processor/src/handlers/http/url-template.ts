import { ValidationError } from '@workpipe/failure-classification';
import { InvalidHttpWorkTypeError } from './errors/invalid-http-work-type-error';
import { PLACEHOLDER, payloadFieldText } from './payload-field';

/** Where in the URL a placeholder sits, which decides how its value is checked. */
type PlaceholderLocation = 'path' | 'query' | 'fragment';

interface Placeholder {
  /** The payload field (a dot path). */
  readonly field: string;
  readonly location: PlaceholderLocation;
}

type TemplatePart = string | Placeholder;

// `http(s)://host[:port]` and where it ends: the origin must be written out, placeholder-free.
const STATIC_ORIGIN = /^(https?:\/\/)([^/?#{}]*)(?=[/?#]|$)/i;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * A downstream URL with `{field}` placeholders filled from the payload, which cannot leave the
 * place the template points at:
 *
 * - the scheme, host and port are written out in the template (no placeholder before the path)
 *   and hold no credentials: checked once, at start-up ({@link InvalidHttpWorkTypeError});
 * - every value is percent-encoded with `encodeURIComponent`, so `/ ? # @ & =` stay inside the
 *   value: a path value is one path segment, a query value one query value;
 * - a path value `.` or `..`, or a path segment that would be empty (`/p/{id}/r` with id ''),
 *   is a VALIDATION failure (`TEMPLATE_DOT_SEGMENT`, `TEMPLATE_EMPTY_SEGMENT`), never retried;
 * - the filled URL must have the template's origin and a path starting with the template's
 *   path up to its first placeholder, else VALIDATION (`TEMPLATE_URL_OUTSIDE`).
 *
 * A rejected URL is never fetched, so the configured headers never go with it. Messages name
 * payload fields, never their values or the URL (which may carry a token).
 */
export class UrlTemplate {
  /** `https://api.example.com:8443`: every filled URL has exactly this origin. */
  readonly origin: string;
  /** The host without the port, e.g. `api.example.com`: the default downstream name. */
  readonly hostname: string;
  /** The template's path up to its first placeholder, e.g. `/portfolios/`: every filled path starts with it. */
  readonly pathPrefix: string;
  private readonly parts: readonly TemplatePart[];
  /** Length of `scheme://authority` in every filled URL (it is static). */
  private readonly pathStart: number;

  /**
   * @param template e.g. `https://api.example.com/portfolios/{portfolioId}/report?date={date}`
   * @param workType the work type, for messages
   * @throws InvalidHttpWorkTypeError when the template cannot be filled safely
   */
  constructor(template: string, workType?: string) {
    const invalid = (problem: string) => new InvalidHttpWorkTypeError(workType, `url: ${problem}`);
    this.parts = templateParts(template);
    const firstPlaceholder = template.search(PLACEHOLDER);
    const staticPrefix = firstPlaceholder === -1 ? template : template.slice(0, firstPlaceholder);

    const origin = STATIC_ORIGIN.exec(staticPrefix);
    if (origin === null || (firstPlaceholder !== -1 && origin[0].length === staticPrefix.length)) {
      throw invalid('the URL template must start with http:// or https:// and a host, with no placeholder before the path');
    }
    const [schemeAndAuthority, , authority = ''] = origin;
    if (authority.includes('@')) throw invalid('the URL template must not hold credentials (user:password@); send them in a header');
    this.pathStart = schemeAndAuthority.length;

    let parsedOrigin: URL;
    try {
      parsedOrigin = new URL(`${schemeAndAuthority}/`);
    } catch {
      throw invalid('the host of the URL template is not valid');
    }
    this.origin = parsedOrigin.origin;
    this.hostname = parsedOrigin.hostname;
    const staticPath = staticPrefix.slice(this.pathStart).split(/[?#]/)[0] ?? '';
    this.pathPrefix = new URL(`${this.origin}${staticPath}`).pathname;

    try {
      new URL(this.parts.map((part) => (typeof part === 'string' ? part : 'x')).join(''));
    } catch {
      throw invalid('the URL template is not a valid URL once filled');
    }
  }

  /**
   * The URL for one item, as `fetch` should get it.
   * @throws ValidationError when a field is missing or its value would move the URL
   */
  fill(payload: Readonly<Record<string, unknown>>): string {
    let filled = '';
    const pathValues: { readonly field: string; readonly start: number; readonly end: number }[] = [];
    for (const part of this.parts) {
      if (typeof part === 'string') {
        filled += part;
        continue;
      }
      const text = payloadFieldText(payload, part.field, 'the URL template');
      if (part.location === 'path' && (text === '.' || text === '..')) throw dotSegment(part.field);
      const start = filled.length;
      filled += encodeURIComponent(text);
      if (part.location === 'path') pathValues.push({ field: part.field, start, end: filled.length });
    }
    this.checkPathSegments(filled, pathValues);

    const fields = this.parts.flatMap((part) => (typeof part === 'string' ? [] : [`"${part.field}"`])).join(', ');
    let url: URL;
    try {
      url = new URL(filled);
    } catch {
      throw new ValidationError(`the URL filled from payload fields ${fields} is not a valid URL`, { code: 'TEMPLATE_INVALID_URL' });
    }
    if (url.origin !== this.origin || url.username !== '' || url.password !== '' || !url.pathname.startsWith(this.pathPrefix)) {
      throw new ValidationError(`the URL filled from payload fields ${fields} leaves the origin or the path of its template`, {
        code: 'TEMPLATE_URL_OUTSIDE',
      });
    }
    return url.href;
  }

  /** A segment holding a value must be neither empty nor a dot segment once filled. */
  private checkPathSegments(filled: string, values: readonly { field: string; start: number; end: number }[]): void {
    if (values.length === 0) return;
    const queryOrFragment = filled.slice(this.pathStart).search(/[?#]/);
    const pathEnd = queryOrFragment === -1 ? filled.length : this.pathStart + queryOrFragment;
    let segmentStart = this.pathStart;
    while (segmentStart <= pathEnd) {
      const slash = filled.indexOf('/', segmentStart);
      const segmentEnd = slash === -1 || slash > pathEnd ? pathEnd : slash;
      const inside = values.find((value) => value.start >= segmentStart && value.end <= segmentEnd);
      const segment = filled.slice(segmentStart, segmentEnd);
      if (inside !== undefined && segment === '') {
        throw new ValidationError(`payload field "${inside.field}" would make an empty path segment`, { code: 'TEMPLATE_EMPTY_SEGMENT' });
      }
      if (inside !== undefined && DOT_SEGMENT.test(segment)) throw dotSegment(inside.field);
      segmentStart = segmentEnd + 1;
    }
  }
}

function dotSegment(field: string): ValidationError {
  return new ValidationError(`payload field "${field}" would make a "." or ".." path segment`, { code: 'TEMPLATE_DOT_SEGMENT' });
}

/** Static text and placeholders, each placeholder with where it sits (after `?`: query, after `#`: fragment). */
function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let location: PlaceholderLocation = 'path';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const text = template.slice(last, match.index);
    location = locationAfter(text, location);
    if (text !== '') parts.push(text);
    parts.push({ field: match[1] as string, location });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

function locationAfter(text: string, location: PlaceholderLocation): PlaceholderLocation {
  if (location === 'fragment' || text.includes('#')) return 'fragment';
  if (location === 'query' || text.includes('?')) return 'query';
  return 'path';
}
