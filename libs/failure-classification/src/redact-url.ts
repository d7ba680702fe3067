import { REDACTED, redactSecretTokens } from './secret-token';

// scheme: (//authority)? path (?query)? (#fragment)?, as far as redaction needs it; a relative
// reference (`/r?x=1`) has no scheme and no authority.
const URL_PARTS = /^(?:([a-z][a-z0-9+.-]*:)(\/\/[^/?#]*)?)?([^?#]*)(\?[^#]*)?(#.*)?$/is;

/**
 * The one redaction of a URL, for failure messages and log lines alike. Works on the text (no
 * parsing, so an invalid URL is redacted too and a valid one keeps its spelling):
 *
 *   userinfo                  removed            https://user:pw@h/x       -> https://h/x
 *   every query value         [REDACTED]         /r?page=2&sig=abc         -> /r?page=[REDACTED]&sig=[REDACTED]
 *   a query part with no `=`  [REDACTED]         /r?abc                    -> /r?[REDACTED]
 *   the fragment              [REDACTED]         /cb#access_token=abc      -> /cb#[REDACTED]
 *   generated-looking path    [REDACTED]         /hooks/T01/AbCdEf0123456789XyZ012 -> /hooks/T01/[REDACTED]
 *   segments (see `isSecretToken`)
 *
 * Scheme, host, port and the rest of the path are kept: they say where, not with what.
 */
export function redactUrl(url: string): string {
  const parts = URL_PARTS.exec(url);
  if (parts === null) return redactSecretTokens(url);
  const [, scheme = '', authority = '', path = '', query, fragment] = parts;
  return (
    scheme +
    withoutUserinfo(authority) +
    path.split('/').map(redactSecretTokens).join('/') +
    (query === undefined ? '' : `?${redactQuery(query.slice(1))}`) +
    (fragment === undefined ? '' : fragment === '#' ? '#' : `#${REDACTED}`)
  );
}

/** `//user:pw@host:1` -> `//host:1`; the last `@` ends the userinfo, as WHATWG URL parsing has it. */
function withoutUserinfo(authority: string): string {
  const at = authority.lastIndexOf('@');
  return at === -1 ? authority : `//${authority.slice(at + 1)}`;
}

/** Keeps the parameter names, never a value: a value of any name may be a signature or a token. */
function redactQuery(query: string): string {
  return query.replace(/[^&;]+/g, (parameter) => {
    const equals = parameter.indexOf('=');
    if (equals === -1) return REDACTED;
    return equals === parameter.length - 1 ? parameter : `${parameter.slice(0, equals + 1)}${REDACTED}`;
  });
}
