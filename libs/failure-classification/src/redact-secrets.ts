import { redactUrl } from './redact-url';
import { REDACTED, redactSecretTokens } from './secret-token';

/** Failure messages travel in Kafka headers and dashboards: long enough to diagnose, no longer. */
export const DEFAULT_MAX_FAILURE_MESSAGE_LENGTH = 500;

// A parameter or field whose name contains one of these words carries a credential.
const SECRET_NAME = String.raw`[\w.-]*(?:token|key|secret|passw(?:or)?d|pwd|auth|signature|credential|session)[\w.-]*`;

// An absolute URL up to a blank, a quote or an angle bracket; trailing punctuation is prose.
const ABSOLUTE_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const CLOSER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
// A path with a query or a fragment, as in a request line (`GET /r?token=abc`).
const RELATIVE_URL = /(^|[\s(["'=,])(\/[^\s?#"'<>`]*(?:\?[^\s#"'<>`]*)?(?:#[^\s"'<>`]*)?)/g;

// The closing quote of a value quoted whole (quotes inside it included) by `Headers.append:
// "<value>" is an invalid header value.` (fetch), `Invalid value "<value>" for header "x"`
// (node:http), and V8's `Unexpected token 'a', "abc..." is not valid JSON`.
const CLOSING_QUOTES: readonly RegExp[] = [
  /"(?=\s+is an invalid header (?:name|value))/gi,
  /"(?= for header )/gi,
  /"(?:\.\.\.)?(?=\s+is not valid JSON)/gi,
];
// Longer text is cut before redaction (at a blank), so that redaction stays cheap on a large
// response body; far more than a message keeps, so what the cut may split is never shown.
const MIN_REDACTION_WINDOW = 4_096;

// `Authorization: Bearer x`, `Cookie: a=b; c=d`, `X-Api-Key: x`: the value, to the end of the line.
const SECRET_HEADER_LINE =
  /\b((?:proxy-)?authorization|(?:set-)?cookie|x-api-key|api-key|x-auth-token|x-access-token)([ \t]*:[ \t]*)(?:(Bearer|Basic|Digest|Token)[ \t]+)?[^\r\n"]+/gi;
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
const SECRET_PARAMETER = new RegExp(String.raw`(^|[?&;\s,])(${SECRET_NAME})=([^&#\s,;]*)`, 'gi');
const SECRET_JSON_FIELD = new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi');

/**
 * Removes credentials from text that may end up in logs, events or dead letters:
 *
 *   every URL (absolute, or a path with a query)   see `redactUrl`: no userinfo, no query value
 *   a header value quoted by fetch or node:http    `"[REDACTED]" is an invalid header value`
 *   the source text V8 quotes in a JSON error      `Unexpected token 'a', [REDACTED] is not valid JSON`
 *   Authorization, Cookie, X-Api-Key header lines  `Authorization: Bearer [REDACTED]`
 *   Bearer / Basic credentials anywhere            `Bearer [REDACTED]`
 *   `name=value` and JSON fields named like        `password=[REDACTED]`, `"api_key":"[REDACTED]"`
 *   token/key/secret/password/auth/signature...
 *   generated-looking tokens (see `isSecretToken`) `[REDACTED]`
 */
export function redactSecrets(text: string): string {
  return redactSecretTokens(
    CLOSING_QUOTES.reduce(redactQuotedBefore, text)
      .replace(SECRET_HEADER_LINE, (_line, name: string, colon: string, scheme: string | undefined) =>
        `${name}${colon}${scheme === undefined ? '' : `${scheme} `}${REDACTED}`,
      )
      .replace(AUTHORIZATION_VALUE, `$1 ${REDACTED}`)
      .replace(ABSOLUTE_URL, redactUrlKeepingProse)
      .replace(RELATIVE_URL, (_match, before: string, url: string) =>
        /[?#]/.test(url) ? before + redactUrlKeepingProse(url) : before + url,
      )
      .replace(SECRET_PARAMETER, `$1$2=${REDACTED}`)
      .replace(SECRET_JSON_FIELD, `$1"${REDACTED}"`),
  );
}

/**
 * A failure message from arbitrary text: redacted, whitespace collapsed, cut to `maxLength`
 * characters (default {@link DEFAULT_MAX_FAILURE_MESSAGE_LENGTH}). Redaction comes before the cut
 * so that a cut can never leave half a secret behind an unrecognisable prefix.
 */
export function toFailureMessage(text: string, maxLength: number = DEFAULT_MAX_FAILURE_MESSAGE_LENGTH): string {
  const clean = redactSecrets(boundForRedaction(text, maxLength)).replace(/\s+/g, ' ').trim();
  return clean.length <= maxLength ? clean : `${clean.slice(0, Math.max(0, maxLength - 1))}…`;
}

/**
 * `text` cut to at least 8 times `maxLength` (4096 characters or more), at a blank, before it is
 * redacted and cut to `maxLength`: the part the first cut may split lies beyond the second.
 */
export function boundForRedaction(text: string, maxLength: number): string {
  const window = Math.max(MIN_REDACTION_WINDOW, maxLength * 8);
  if (text.length <= window) return text;
  const cut = text.slice(0, window);
  const blank = cut.search(/\s\S*$/);
  return blank > window / 2 ? cut.slice(0, blank) : cut.slice(0, window / 2);
}

/**
 * Replaces each value quoted whole before `closingQuote` (from the first `"` after the previous
 * one), in one pass: `Headers.append: "a"b" is an invalid header value` -> `Headers.append:
 * [REDACTED] is an invalid header value`.
 */
function redactQuotedBefore(text: string, closingQuote: RegExp): string {
  let result = '';
  let done = 0;
  for (const match of text.matchAll(closingQuote)) {
    const close = match.index;
    let open = text.indexOf('"', done);
    if (open === -1 || open >= close) continue;
    if (text.startsWith('...', open - 3) && open - 3 >= done) open -= 3;
    result += text.slice(done, open) + REDACTED;
    done = close + match[0].length;
  }
  return result + text.slice(done);
}

function redactUrlKeepingProse(match: string): string {
  let end = match.length;
  for (;;) {
    const last = match.charAt(end - 1);
    const opener = CLOSER_OF[last];
    const url = match.slice(0, end);
    // `(see https://h/x).` ends in prose; `?sig=[REDACTED]` (already redacted) does not.
    const unbalanced = opener !== undefined && count(url, last) > count(url, opener);
    if (end > 0 && ('.,;:!?'.includes(last) || unbalanced)) end -= 1;
    else break;
  }
  return redactUrl(match.slice(0, end)) + match.slice(end);
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
