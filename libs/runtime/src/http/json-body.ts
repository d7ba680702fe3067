/*
 * The checks a JSON request body goes through, cheapest first, each refusal saying what is wrong.
 * Pure: the HTTP plumbing is in `JsonBodyInterceptor`.
 */

import { FORBIDDEN_KEYS } from '@workpipe/contracts';

/** A refused body: the status, a code, and a message naming the problem. */
export interface BodyRefusal {
  statusCode: 400 | 413 | 415;
  error: string;
  message: string;
}

export type BodyOutcome = { ok: true; value: unknown } | { ok: false; refusal: BodyRefusal };

export interface MediaType {
  /** e.g. `application/json`, lower-cased. */
  type: string;
  /** The `charset` parameter, lower-cased, if any. */
  charset?: string;
}

/** `application/json; charset="UTF-8"` -> `{ type: 'application/json', charset: 'utf-8' }`; undefined without a header. */
export function parseMediaType(header: string | undefined): MediaType | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const [type = '', ...parameters] = header.split(';');
  const media: MediaType = { type: type.trim().toLowerCase() };
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    if (equals < 0) continue;
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    media.charset = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return media;
}

/** What the `content-type` of a body must be: JSON (`application/json` or `application/<x>+json`) in UTF-8. */
export function mediaTypeRefusal(header: string | undefined): BodyRefusal | undefined {
  const media = parseMediaType(header);
  if (!media || !/^application\/(?:[\w.-]+\+)?json$/.test(media.type)) {
    return {
      statusCode: 415,
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: `the body must be JSON: send "content-type: application/json"${media ? ` (not "${printable(media.type)}")` : ''}`,
    };
  }
  if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
    return {
      statusCode: 415,
      error: 'UNSUPPORTED_CHARSET',
      message: `the body must be UTF-8: charset "${printable(media.charset)}" is not supported; send "content-type: application/json" or "application/json; charset=utf-8"`,
    };
  }
  return undefined;
}

/** The refusal of a body over `limitBytes`, naming the limit (the same wording whether the length was declared or counted). */
export function tooLargeRefusal(limitBytes: number, route: string): BodyRefusal {
  return {
    statusCode: 413,
    error: 'BODY_TOO_LARGE',
    message: `the body is over the limit of ${limitBytes} bytes for ${route}${route.endsWith('/v1/batches') ? '; split the batch' : ''}`,
  };
}

/**
 * A UTF-8 JSON body as a value: valid UTF-8, nested at most `maxDepth` levels (checked on the text
 * before parsing, so a body nested 200,000 levels never reaches a recursive parser or hasher), valid
 * JSON, and none of the {@link FORBIDDEN_KEYS} anywhere.
 */
export function parseJsonBody(bytes: Uint8Array, maxDepth: number): BodyOutcome {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse(400, 'INVALID_UTF8', 'the body is not valid UTF-8');
  }
  const depth = jsonDepthOver(text, maxDepth);
  if (depth !== undefined) {
    return refuse(400, 'BODY_TOO_DEEP', `the body nests objects and arrays more than ${maxDepth} levels deep (at character ${depth}); at most ${maxDepth} are allowed`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(400, 'MALFORMED_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
  const forbidden = forbiddenKeyPath(value);
  if (forbidden !== undefined) {
    return refuse(400, 'FORBIDDEN_KEY', `the body has the key "${forbidden.key}" at ${printable(forbidden.path)}; the keys ${FORBIDDEN_KEYS.join(', ')} are not allowed anywhere`);
  }
  return { ok: true, value };
}

/**
 * The position of the first bracket that opens level `maxDepth + 1`, or undefined if the text never
 * nests deeper than `maxDepth`. One pass over the characters, brackets inside strings ignored.
 */
export function jsonDepthOver(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return undefined;
}

/** The first forbidden key of a parsed JSON value and where it is (`items.0.payload`), walked without recursion. */
export function forbiddenKeyPath(value: unknown): { key: string; path: string } | undefined {
  const stack: { node: unknown; path: string }[] = [{ node: value, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: string };
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((child, index) => stack.push({ node: child, path: join(path, String(index)) }));
      continue;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.includes(key)) return { key, path: path === '' ? 'the top level' : path };
      stack.push({ node: (node as Record<string, unknown>)[key], path: join(path, key) });
    }
  }
  return undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function refuse(statusCode: BodyRefusal['statusCode'], error: string, message: string): BodyOutcome {
  return { ok: false, refusal: { statusCode, error, message } };
}

/** A client's text shown in a message: printable ASCII only, bounded. */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}
