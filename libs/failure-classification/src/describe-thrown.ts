import { isWorkFailureError } from './errors/work-failure-error';
import { boundForRedaction, DEFAULT_MAX_FAILURE_MESSAGE_LENGTH, redactSecrets, toFailureMessage } from './redact-secrets';
import { REDACTED } from './secret-token';
import { causeChain, errorCode, rawErrorMessage } from './thrown-value';

/** A thrown error whose message quotes what it failed on, and what we say instead. */
interface KnownErrorShape {
  readonly matches: (message: string, code: string | undefined) => boolean;
  readonly wording: string;
}

/**
 * Errors of fetch and node:http that quote a header value or a whole URL (with its credentials
 * and query) in their message. Their message is replaced, not redacted: nothing of it is kept.
 */
export const KNOWN_ERROR_SHAPES: readonly KnownErrorShape[] = [
  {
    // `Headers.append: "<value>" is an invalid header value.`, a non-Latin-1 value (ByteString),
    // node:http's ERR_HTTP_INVALID_HEADER_VALUE `Invalid value "<value>" for header "x"`.
    matches: (message, code) =>
      /invalid header (?:name|value)|ByteString|for header "/i.test(message) ||
      code === 'ERR_HTTP_INVALID_HEADER_VALUE' ||
      code === 'ERR_INVALID_HTTP_TOKEN' ||
      code === 'ERR_INVALID_CHAR',
    wording: 'a request header has an invalid name or value (not shown)',
  },
  {
    // `Request cannot be constructed from a URL that includes credentials: <url>`
    matches: (message) => /URL that includes credentials/i.test(message),
    wording: 'the request URL includes credentials, which fetch refuses (URL not shown)',
  },
  {
    // `Failed to parse URL from <url>`, caused by `Invalid URL` (code ERR_INVALID_URL, `input`).
    matches: (message, code) => code === 'ERR_INVALID_URL' || /^(?:Failed to parse URL from|Invalid URL)/i.test(message),
    wording: 'the request URL is not a valid URL (not shown)',
  },
];

// Node's argument errors end with the value they got: `... Received 'abc'`, `Received type string ('abc')`.
const RECEIVED_VALUE = /\bReceived\s+(?:(type\s+\w+)\s*)?[\s\S]*$/;
const DOUBLE_QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * What a thrown value says, safe to store and log: the messages of its `cause` chain joined
 * outermost first (`fetch failed: connect ECONNREFUSED 127.0.0.1:8080`), each made safe by the
 * first rule that applies, and the whole bounded to `maxLength` characters (default
 * {@link DEFAULT_MAX_FAILURE_MESSAGE_LENGTH}):
 *
 *   a WorkFailureError (our own wording)     redacted (see `redactSecrets`)
 *   a known shape (see KNOWN_ERROR_SHAPES)   replaced by our own wording
 *   any other Error or string                redacted, and every double-quoted text and a
 *                                            trailing `Received <value>` replaced by [REDACTED]
 *   a thrown non-Error object                its JSON, redacted
 */
export function describeThrown(error: unknown, maxLength: number = DEFAULT_MAX_FAILURE_MESSAGE_LENGTH): string {
  const messages: string[] = [];
  for (const link of causeChain(error)) {
    const text = safeMessage(link, maxLength);
    // A wrapper that repeats its cause's message should not say it twice.
    if (text !== '' && !messages.some((seen) => seen.includes(text))) messages.push(text);
  }
  return toFailureMessage(messages.length > 0 ? messages.join(': ') : 'unknown error', maxLength);
}

function safeMessage(link: unknown, maxLength: number): string {
  const raw = boundForRedaction(rawErrorMessage(link), maxLength);
  if (isWorkFailureError(link)) return redactSecrets(raw);
  const shape = KNOWN_ERROR_SHAPES.find((known) => known.matches(raw, errorCode(link)));
  if (shape !== undefined) return shape.wording;
  if (typeof link === 'object' && link !== null && !(link instanceof Error) && typeof (link as { message?: unknown }).message !== 'string') {
    return redactSecrets(raw);
  }
  return redactSecrets(
    raw
      .replace(RECEIVED_VALUE, (_tail, type: string | undefined) => `Received ${type === undefined ? '' : `${type} `}${REDACTED}`)
      .replace(DOUBLE_QUOTED, `"${REDACTED}"`),
  );
}
